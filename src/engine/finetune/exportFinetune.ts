import * as path from 'node:path';
import { formatSources } from '../answer/prompt';
import type { NumberedSource } from '../answer/types';
import { commitDiff, diffSections, isGitRepository, recentCommits } from '../git/git';
import { readChunks, type ChunkRow } from '../store/readChunks';
import { splitDocComment } from '../text/docComments';
import { isSecretPath } from '../walk/fileKinds';
import { sha256 } from '../hash';
import type { Workspace } from '../workspace';
import type { FinetuneExample } from './format';

export type FinetuneTask = 'docstring' | 'commit';

export interface ExportResult {
  readonly train: readonly FinetuneExample[];
  readonly validation: readonly FinetuneExample[];
  readonly skipped: Readonly<Record<string, number>>;
}

export const DOCSTRING_SYSTEM = 'You write doc comments for this codebase in its house style: the same comment syntax, tags, tone and length as its existing documentation.';
export const COMMIT_SYSTEM = 'You write commit messages for this repository in its house style: the same subject format, tense, length and body conventions as its history.';

/** Related chunks plus distractors: RAFT trains the model to use helpful context and ignore the rest. */
const RELATED = 2;
const DISTRACTORS = 2;
const MAX_DIFF_CHARS = 12_000;
const MAX_COMMITS = 400;

/** A deterministic shuffle and pick, seeded per example, so exports are reproducible. */
function seeded(seed: string): () => number {
  let h = Number.parseInt(sha256(seed).slice(0, 8), 16);
  return () => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    return h / 2 ** 32;
  };
}

function asSources(rows: readonly ChunkRow[]): NumberedSource[] {
  return rows.map((r, i) => ({
    n: i + 1, path: r.relPath, rootPath: r.rootPath, relPath: r.relPath, startLine: r.startLine, endLine: r.endLine,
    symbol: r.symbol, text: r.text, foundBy: [], score: 0,
  }));
}

function fenceLanguage(file: string): string {
  return path.extname(file).slice(1);
}

async function contextFor(ws: Workspace, query: string, excludePaths: ReadonlySet<string>, allIds: readonly number[], seed: string): Promise<NumberedSource[]> {
  const { hits } = await ws.search(query, { limit: 10 });
  const related = hits.filter((h) => !excludePaths.has(h.relPath)).slice(0, RELATED).map((h) => h.chunkId);
  const random = seeded(seed);
  const distractors: number[] = [];
  for (let tries = 0; distractors.length < DISTRACTORS && tries < 20 && allIds.length > 0; tries++) {
    const id = allIds[Math.floor(random() * allIds.length)];
    if (id !== undefined && !related.includes(id) && !distractors.includes(id)) distractors.push(id);
  }
  const rows = readChunks(ws.indexStore.db, [...related, ...distractors]).filter((r) => !excludePaths.has(r.relPath));
  const shuffled = [...rows];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = shuffled[i];
    const b = shuffled[j];
    if (a !== undefined && b !== undefined) {
      shuffled[i] = b;
      shuffled[j] = a;
    }
  }
  return asSources(shuffled);
}

function userMessage(task: string, context: readonly NumberedSource[], body: string): string {
  const ctx = context.length === 0 ? '' : `Context from the codebase (some of it may be irrelevant):\n\n${formatSources(context)}\n\n`;
  return `${task}\n\n${ctx}${body}`;
}

async function docstringExamples(ws: Workspace, skipped: Record<string, number>): Promise<Array<{ key: string; example: FinetuneExample }>> {
  const db = ws.indexStore.db;
  const ids = db.prepare("SELECT id FROM chunks WHERE kind IN ('function', 'method', 'class', 'type')").pluck().all().map(Number);
  const allIds = db.prepare('SELECT id FROM chunks').pluck().all().map(Number);
  const out: Array<{ key: string; example: FinetuneExample }> = [];
  for (const row of readChunks(db, ids)) {
    if (isSecretPath(row.relPath)) {
      skipped['secret file'] = (skipped['secret file'] ?? 0) + 1;
      continue;
    }
    const split = splitDocComment(row.text);
    if (split === null) continue;
    const name = row.symbol === '' ? 'this code' : `\`${row.symbol}\``;
    const context = await contextFor(ws, `${row.symbol} ${split.code.split('\n')[0] ?? ''}`, new Set([row.relPath]), allIds, row.hash);
    const body = `Code (${row.relPath}):\n\`\`\`${fenceLanguage(row.relPath)}\n${split.code}\n\`\`\``;
    out.push({
      key: sha256(split.code),
      example: {
        messages: [
          { role: 'system', content: DOCSTRING_SYSTEM },
          { role: 'user', content: userMessage(`Write the doc comment for ${name}. Reply with the comment only.`, context, body) },
          { role: 'assistant', content: split.doc.replace(/^\s*\n/, '') },
        ],
      },
    });
  }
  return out;
}

async function commitExamples(ws: Workspace, skipped: Record<string, number>): Promise<Array<{ key: string; example: FinetuneExample }>> {
  const out: Array<{ key: string; example: FinetuneExample }> = [];
  const allIds = ws.indexStore.db.prepare('SELECT id FROM chunks').pluck().all().map(Number);
  for (const root of ws.config.roots) {
    if (!isGitRepository(root.path)) {
      skipped['not a git repository'] = (skipped['not a git repository'] ?? 0) + 1;
      continue;
    }
    for (const commit of await recentCommits(root.path, MAX_COMMITS)) {
      const diff = await commitDiff(root.path, commit.hash);
      if (diff === null || commit.subject === '') continue;
      // Secret-bearing files never leave the machine in a training set, not even as diffs.
      const sections = diffSections(diff).filter((s) => !isSecretPath(s.path));
      if (sections.length === 0) {
        skipped['only secret files'] = (skipped['only secret files'] ?? 0) + 1;
        continue;
      }
      const patch = sections.map((s) => s.text).join('');
      if (patch.length > MAX_DIFF_CHARS) {
        skipped['diff too large'] = (skipped['diff too large'] ?? 0) + 1;
        continue;
      }
      const added = [...patch.matchAll(/^\+.*?\b([A-Za-z_][A-Za-z0-9_]{3,})\b/gm)].map((m) => m[1] ?? '').slice(0, 8);
      const query = [...sections.map((s) => s.path), ...added].join(' ');
      const context = await contextFor(ws, query, new Set(), allIds, commit.hash);
      const message = commit.body === '' ? commit.subject : `${commit.subject}\n\n${commit.body}`;
      out.push({
        key: sha256(patch),
        example: {
          messages: [
            { role: 'system', content: COMMIT_SYSTEM },
            { role: 'user', content: userMessage('Write the commit message for this diff. Reply with the message only.', context, `Diff:\n\`\`\`diff\n${patch}\`\`\``) },
            { role: 'assistant', content: message },
          ],
        },
      });
    }
  }
  return out;
}

/**
 * Mines fine-tuning examples from the indexed repository: doc comment ↔ code, or commit message ↔
 * diff, each with retrieved context and distractors (RAFT). Deduplicated; split ~90/10 by a hash of
 * the example, so the split is stable across runs.
 */
export async function exportFinetune(ws: Workspace, task: FinetuneTask): Promise<ExportResult> {
  const skipped: Record<string, number> = {};
  const mined = task === 'docstring' ? await docstringExamples(ws, skipped) : await commitExamples(ws, skipped);
  const seen = new Set<string>();
  const train: FinetuneExample[] = [];
  const validation: FinetuneExample[] = [];
  for (const { key, example } of mined) {
    const answerKey = sha256(example.messages[example.messages.length - 1]?.content ?? '');
    if (seen.has(key) || seen.has(answerKey)) {
      skipped['duplicate'] = (skipped['duplicate'] ?? 0) + 1;
      continue;
    }
    seen.add(key);
    seen.add(answerKey);
    (Number.parseInt(key.slice(0, 4), 16) % 10 === 0 ? validation : train).push(example);
  }
  // A validation set of one is useless, none is worse: move one over when there are enough examples.
  if (validation.length === 0 && train.length >= 10) {
    const moved = train.pop();
    if (moved !== undefined) validation.push(moved);
  }
  return { train, validation, skipped };
}
