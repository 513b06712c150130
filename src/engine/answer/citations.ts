import { readFileSync } from 'node:fs';
import { absoluteFile } from '../paths';
import { MARKER_PATTERN } from '../redact/redact';
import { NUMBER_REF, PATH_REF } from '../../shared/citationGrammar';
import type { Citation, NumberedSource, SentenceSupport } from './types';

/** A citation as written in the answer, before it is checked against the files. */
export interface CitationRef {
  readonly n: number | null;
  readonly path: string;
  readonly rootPath: string;
  readonly relPath: string;
  readonly startLine: number;
  readonly endLine: number;
  /** The range's text when it was indexed (known for numbered sources). */
  readonly indexedText: string | null;
}


/** `[n]`, `[1, 2]` and `path:10-20` mentions in an answer, resolved against the sources given. */
export function parseCitations(answer: string, sources: readonly NumberedSource[]): CitationRef[] {
  const byN = new Map(sources.map((s) => [s.n, s]));
  const refs: CitationRef[] = [];
  const seen = new Set<string>();
  const add = (ref: CitationRef): void => {
    const key = `${ref.n ?? ''}|${ref.path}|${ref.startLine}|${ref.endLine}`;
    if (!seen.has(key)) {
      seen.add(key);
      refs.push(ref);
    }
  };
  for (const m of answer.matchAll(NUMBER_REF)) {
    for (const part of (m[1] ?? '').split(/[,;]/)) {
      const n = Number(part.trim());
      const s = byN.get(n);
      if (s === undefined) {
        add({ n, path: `[${n}]`, rootPath: '', relPath: '', startLine: 0, endLine: 0, indexedText: null });
      } else {
        add({ n, path: s.path, rootPath: s.rootPath, relPath: s.relPath, startLine: s.startLine, endLine: s.endLine, indexedText: s.text });
      }
    }
  }
  for (const m of answer.matchAll(PATH_REF)) {
    const mentioned = m[1] ?? '';
    const start = Number(m[2]);
    const end = m[3] === undefined ? start : Number(m[3]);
    const source = sources.find((s) => s.path === mentioned || s.relPath === mentioned);
    if (source === undefined) continue;
    // A mention inside a source's range can be checked against that source's indexed text.
    const inside = start >= source.startLine && end <= source.endLine;
    const text = inside ? source.text.split('\n').slice(start - source.startLine, end - source.startLine + 1).join('\n') : null;
    add({ n: null, path: source.path, rootPath: source.rootPath, relPath: source.relPath, startLine: start, endLine: end, indexedText: text });
  }
  return refs;
}

/** Reads each file once however many of an answer's citations point into it. */
export function cachedReader(): (file: string) => string[] | null {
  const cache = new Map<string, string[] | null>();
  return (file) => {
    let lines = cache.get(file);
    if (lines === undefined) {
      lines = readLines(file);
      cache.set(file, lines);
    }
    return lines;
  };
}

function readLines(file: string): string[] | null {
  try {
    return readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').split('\n');
  } catch {
    return null;
  }
}

/**
 * Whether a line on disk is the line as indexed. Indexed text has its secrets replaced by markers
 * (the disk still has them), so each marker stands for any text.
 */
function lineMatches(actual: string, indexed: string): boolean {
  if (!indexed.includes('«redacted: ')) return actual === indexed;
  const parts = indexed.split(MARKER_PATTERN);
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!actual.startsWith(first) || !actual.endsWith(last) || actual.length < first.length + last.length) return false;
  let at = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = actual.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return at <= actual.length - last.length;
}

function sameLines(actual: readonly string[], indexed: readonly string[], at = 0, norm: (s: string) => string = (s) => s): boolean {
  for (let j = 0; j < indexed.length; j++) if (!lineMatches(norm(actual[at + j] ?? ''), norm(indexed[j] ?? ''))) return false;
  return true;
}

/** Where `block` (several lines) occurs in `lines`, 0-based, or -1. Leading/trailing spaces are ignored per line. */
function findBlock(lines: readonly string[], block: readonly string[]): number {
  if (block.length === 0) return -1;
  const norm = (s: string): string => s.trim();
  for (let i = 0; i + block.length <= lines.length; i++) if (sameLines(lines, block, i, norm)) return i;
  return -1;
}

/**
 * Checks a citation against the file as it is now: `ok` (same text at the same lines), `moved`
 * (same text elsewhere: re-anchored), `stale` (the lines changed), `invalid` (no such file or lines).
 */
export function checkCitation(ref: CitationRef, read: (file: string) => string[] | null = readLines): Citation {
  const file = ref.rootPath === '' ? '' : absoluteFile(ref.rootPath, ref.relPath);
  const base = { n: ref.n, path: ref.path, file, startLine: ref.startLine, endLine: ref.endLine };
  if (ref.rootPath === '') return { ...base, status: 'invalid', detail: `no source [${ref.n ?? '?'}] was given` };
  const lines = read(file);
  if (lines === null) return { ...base, status: 'invalid', detail: 'the file no longer exists' };
  if (ref.startLine < 1 || ref.endLine < ref.startLine) return { ...base, status: 'invalid', detail: 'not a line range' };
  const current = lines.slice(ref.startLine - 1, ref.endLine);
  if (ref.indexedText === null) {
    if (ref.endLine > lines.length) return { ...base, status: 'invalid', detail: `the file has ${lines.length} lines` };
    return { ...base, status: 'ok', detail: 'lines exist (not compared: outside the sources)' };
  }
  const expected = ref.indexedText.split('\n');
  if (ref.endLine <= lines.length && current.length === expected.length && sameLines(current, expected)) return { ...base, status: 'ok', detail: 'unchanged since indexing' };
  const at = findBlock(lines, expected);
  if (at >= 0) {
    const movedTo = { startLine: at + 1, endLine: at + expected.length };
    return { ...base, status: 'moved', movedTo, detail: `the text is now at lines ${movedTo.startLine}-${movedTo.endLine}` };
  }
  if (ref.endLine > lines.length) return { ...base, status: 'invalid', detail: `the file now has ${lines.length} lines` };
  return { ...base, status: 'stale', detail: 'these lines changed since indexing' };
}

/** A sentence that says the sources do not answer: it claims nothing about the code to check. */
const NO_ANSWER = /\b(?:does not|doesn't|do not|don't|did not) (?:show|contain|mention|include|say|describe)\b|\bnot (?:shown|found|present|mentioned|covered) in\b|\bcannot (?:find|tell|determine|see)\b|\bno (?:information|mention|sources?)\b/i;

/** Prose sentences of four words or more: lines split at sentence ends, outside code fences and headings. */
function proseSentences(answer: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const raw of answer.split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    const line = raw.replace(/^\s*([-*+]|\d+\.)\s+/, '').trim();
    if (fenced || line === '' || line.startsWith('#') || line.startsWith('>')) continue;
    for (const sentence of line.split(/(?<=[.!?])\s+(?=[A-Z`*_(])/)) {
      if (sentence.split(/\s+/, 8).filter((w) => /[A-Za-z]/.test(w)).length >= 4) out.push(sentence.trim());
    }
  }
  return out;
}

/** Sentences that make claims about the code: prose sentences but those saying the sources do not answer. */
export function claimSentences(answer: string): string[] {
  return proseSentences(answer).filter((s) => !NO_ANSWER.test(s));
}

/**
 * Marks each claim sentence supported when it carries a citation that checked out (`ok` or
 * `moved`); groundedness is the supported share. An answer without claims is grounded when it says
 * the sources do not answer, or cites something that checked out; otherwise (a bare "PWNED") it
 * has shown nothing and scores 0.
 */
export function groundedness(answer: string, sources: readonly NumberedSource[], citations: readonly Citation[]): { score: number; sentences: SentenceSupport[] } {
  const good = new Set(citations.filter((c) => c.status === 'ok' || c.status === 'moved').map((c) => (c.n === null ? `${c.path}:${c.startLine}` : `[${c.n}]`)));
  const sentences = claimSentences(answer).map((sentence) => {
    const refs = parseCitations(sentence, sources);
    const supported = refs.some((r) => good.has(r.n === null ? `${r.path}:${r.startLine}` : `[${r.n}]`));
    return { sentence, supported };
  });
  const noClaims = (): number => (good.size > 0 || proseSentences(answer).some((s) => NO_ANSWER.test(s)) ? 1 : 0);
  const score = sentences.length === 0 ? noClaims() : sentences.filter((s) => s.supported).length / sentences.length;
  return { score: Math.round(score * 1000) / 1000, sentences };
}
