import { bestSnippet } from '../../retrieve/snippet';
import { docSummary } from '../../text/docComments';
import { STOPWORDS, wordStem, words } from '../../text/identifiers';
import type { NumberedSource } from '../types';

/** "refreshed", "refreshing" and "refreshes" meet "refresh" (a rough English stem; only for saying why). */
function looseStem(word: string): string {
  const w = word.length > 5 && word.endsWith('ing') ? word.slice(0, -3) : word.length > 4 && word.endsWith('ed') ? word.slice(0, -2) : word;
  return wordStem(w.length > 4 && w.endsWith('es') ? w.slice(0, -1) : w);
}

/**
 * Why a source is shown, when it has no doc line to say what it is: the question's words it contains
 * (by stem, identifiers split into parts), else that the embedding model found it close in meaning.
 */
export function whyMatched(source: NumberedSource, question: string, plural = false): string {
  const asked = [...new Set(words(question).filter((w) => w.length > 2 && !STOPWORDS.has(w)))];
  const present = new Set(words(source.text).map(looseStem));
  const found = asked.filter((w) => present.has(looseStem(w))).slice(0, 4);
  // "`renew` mentions …", "Lines 3-9 mention …".
  if (found.length > 0) return `${plural ? 'mention' : 'mentions'} ${found.map((w) => `*${w}*`).join(', ')}`;
  if (source.foundBy.includes('vector')) return `${plural ? 'are' : 'is'} close in meaning to the question (found by the embedding model)`;
  return source.foundBy.length === 0 ? `${plural ? 'are' : 'is'} the code you pointed at` : `${plural ? 'were' : 'was'} found by ${source.foundBy.join(' + ')}`;
}

const FENCE_LANG: Readonly<Record<string, string>> = {
  ts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', py: 'python', go: 'go', rs: 'rust',
  java: 'java', cs: 'csharp', c: 'c', h: 'c', cpp: 'cpp', cc: 'cpp', hpp: 'cpp', md: 'markdown',
};

function fenceLanguage(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return FENCE_LANG[ext] ?? '';
}

/**
 * The embedded default: an extractive answer from the top sources, grouped by file. Each entry is
 * one cited sentence (the symbol and its doc summary) and the lines that best match the question.
 */
export function sourcesOnlyAnswer(question: string, sources: readonly NumberedSource[], reason: string): string {
  if (sources.length === 0) {
    return 'The codebase (as indexed) has nothing that matches this question. Try other words, or run `sourceline status` to see which files were skipped.';
  }
  const byFile = new Map<string, NumberedSource[]>();
  for (const s of sources) byFile.set(s.path, [...(byFile.get(s.path) ?? []), s]);
  // A blockquote: the intro is about the answer, not a claim about the code (claimSentences skips it).
  const parts = [`> ${reason} These are the most relevant places in the code, with the lines that match best.`];
  for (const [file, items] of byFile) {
    parts.push(`\n**${file}**`);
    for (const s of items) {
      // The [n] citation carries the range (a chip in the panel, a footer line in the CLI).
      const name = s.symbol === '' ? `Lines ${s.startLine}-${s.endLine}` : `\`${s.symbol.split(', ')[0] ?? s.symbol}\``;
      const summary = docSummary(s.text);
      // The doc line says what the code is; without one, say why it is here (never one formula for all).
      const claim = summary === null ? `${name} ${whyMatched(s, question, s.symbol === '')}.` : `${name}: ${summary.replace(/[.!?]?$/, '.')}`;
      const snippet = bestSnippet(s.text, s.startLine, question, 4);
      const code = snippet.text.split('\n').map((l) => `  ${l}`).join('\n');
      parts.push(`- ${claim} [${s.n}]\n  \`\`\`${fenceLanguage(file)}\n${code}\n  \`\`\``);
    }
  }
  return parts.join('\n');
}
