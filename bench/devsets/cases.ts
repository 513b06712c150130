import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEV_DATA, type DevRepo } from './repos';

/** What a dev case asks for, as the question table groups them. */
export type CaseKind = 'commit' | 'commit-long' | 'behaviour' | 'architecture' | 'symbol';

export interface GoldRange {
  readonly path: string;
  /** 1-based inclusive lines, when the answer is one part of the file. */
  readonly lines?: readonly [number, number];
}

export interface DevCase {
  readonly repo: string;
  readonly kind: CaseKind;
  readonly query: string;
  readonly gold: readonly GoldRange[];
}

const QUESTION_KINDS: ReadonlySet<string> = new Set(['behaviour', 'architecture', 'symbol']);
const isQuestionKind = (kind: unknown): kind is CaseKind => typeof kind === 'string' && QUESTION_KINDS.has(kind);

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected an object`);
  return value as Record<string, unknown>;
}

function goldOf(value: unknown, where: string): GoldRange {
  if (typeof value === 'string') return { path: value };
  const g = record(value, where);
  const lines = g['lines'];
  if (typeof g['path'] !== 'string') throw new Error(`${where}: gold needs a path`);
  if (lines === undefined) return { path: g['path'] };
  if (!Array.isArray(lines) || lines.length !== 2 || !lines.every((n) => Number.isInteger(n))) throw new Error(`${where}: lines must be [start, end]`);
  return { path: g['path'], lines: [Number(lines[0]), Number(lines[1])] };
}

/** `queryOf` may turn a case into another query, or leave it out (null). */
function casesIn(file: string, repo: DevRepo, kindOf: (c: Record<string, unknown>) => CaseKind, goldKey: string, queryOf: (query: string, c: Record<string, unknown>) => string | null = (q) => q): DevCase[] {
  if (!existsSync(file)) return [];
  const data = record(JSON.parse(readFileSync(file, 'utf8')), file);
  if (data['pin'] !== repo.commit) throw new Error(`${file}: made at ${String(data['pin'])}, but the repository is pinned at ${repo.commit}: mine or check it again`);
  const list = data['cases'];
  if (!Array.isArray(list)) throw new Error(`${file}: expected cases: [...]`);
  return list.flatMap((raw, i) => {
    const c = record(raw, `${file} case ${i}`);
    const gold = c[goldKey];
    if (typeof c['query'] !== 'string' || !Array.isArray(gold) || gold.length === 0) throw new Error(`${file} case ${i}: needs a query and ${goldKey}`);
    const query = queryOf(c['query'], c);
    return query === null ? [] : [{ repo: repo.name, kind: kindOf(c), query, gold: gold.map((g, j) => goldOf(g, `${file} case ${i} gold ${j}`)) }];
  });
}

/** Commit subject → changed files (mined by tools/devsets/mineCommits.ts). */
export function commitCases(repo: DevRepo): DevCase[] {
  return casesIn(path.join(DEV_DATA, 'commits', `${repo.name}.json`), repo, () => 'commit', 'files');
}

/** Whole commit message (subject and a body of 30+ words) → changed files: stands for pasted issue text. */
export function longCommitCases(repo: DevRepo): DevCase[] {
  return casesIn(path.join(DEV_DATA, 'commits', `${repo.name}.json`), repo, () => 'commit-long', 'files', (subject, c) => (typeof c['body'] === 'string' ? `${subject}\n\n${c['body']}` : null));
}

/** Questions written by hand while reading the repository at its pin. */
export function questionCases(repo: DevRepo): DevCase[] {
  return casesIn(path.join(DEV_DATA, 'questions', `${repo.name}.json`), repo, (c) => {
    const kind = c['kind'];
    if (!isQuestionKind(kind)) throw new Error(`question "${String(c['query'])}": kind must be behaviour, architecture or symbol`);
    return kind;
  }, 'gold');
}
