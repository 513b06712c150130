import { isGitRepository, recentCommits } from '../git/git';
import { readChunks } from '../store/readChunks';
import { displayPath } from '../store/indexStore';
import { docQuery, splitDocComment } from '../text/docComments';
import { pathRole } from '../walk/fileKinds';
import { sha256 } from '../hash';
import type { Workspace } from '../workspace';

/** A documented unit: its doc comment becomes the query, the unit is the answer. */
export interface DocCase {
  readonly kind: 'doc2func';
  readonly query: string;
  readonly rootPath: string;
  readonly relPath: string;
  readonly displayPath: string;
  /** The unit's lines (1-based, inclusive), doc comment included. */
  readonly startLine: number;
  readonly endLine: number;
  /** File lines of the doc comment, to blank in the eval copy. */
  readonly docStartLine: number;
  readonly docEndLine: number;
}

export interface CommitCase {
  readonly kind: 'commit2files';
  readonly query: string;
  readonly files: readonly string[];
}

/** Documented functions, methods and classes of source files (not tests), sampled deterministically. */
export function mineDocCases(ws: Workspace, max: number, perFileMax = 1): DocCase[] {
  const db = ws.indexStore.db;
  const ids = db.prepare("SELECT id FROM chunks WHERE kind IN ('function', 'method', 'class', 'type')").pluck().all().map(Number);
  const multiRoot = ws.config.roots.length > 1;
  const cases: DocCase[] = [];
  for (const row of readChunks(db, ids)) {
    if (pathRole(row.relPath) !== 'source') continue;
    const split = splitDocComment(row.text);
    if (split === null) continue;
    const query = docQuery(split.doc);
    if (query.split(' ').length < 4) continue;
    cases.push({
      kind: 'doc2func',
      query,
      rootPath: row.rootPath,
      relPath: row.relPath,
      displayPath: displayPath(multiRoot, row.rootName, row.relPath),
      startLine: row.startLine,
      endLine: row.endLine,
      docStartLine: row.startLine + split.docStart,
      docEndLine: row.startLine + split.docEnd,
    });
  }
  // A case per file (by default) keeps big files from dominating; then a stable sample.
  const perFile = new Map<string, DocCase[]>();
  for (const c of [...cases].sort((a, b) => sha256(a.query).localeCompare(sha256(b.query)))) {
    const list = perFile.get(c.displayPath) ?? [];
    if (list.length < perFileMax) perFile.set(c.displayPath, [...list, c]);
  }
  return [...perFile.values()].flat().slice(0, max);
}

/** Recent commits: subject → the files it changed that are still indexed (skipping merges and sweeping commits). */
export async function mineCommitCases(ws: Workspace, max: number): Promise<CommitCase[]> {
  const cases: CommitCase[] = [];
  const indexed = new Set(ws.indexStore.db.prepare("SELECT r.path || '/' || f.path FROM files f JOIN roots r ON r.id = f.root_id WHERE f.status = 'indexed'").pluck().all().map(String));
  const multiRoot = ws.config.roots.length > 1;
  for (const root of ws.config.roots) {
    // Roots that are repository roots: git's paths are then relative to the root, as the index's are.
    if (!isGitRepository(root.path)) continue;
    const rootName = String(ws.indexStore.db.prepare('SELECT name FROM roots WHERE path = ?').pluck().get(root.path) ?? root.name);
    for (const commit of await recentCommits(root.path, max * 3, 10)) {
      const files = commit.files.filter((f) => indexed.has(`${root.path}/${f}`) && pathRole(f) === 'source');
      if (files.length === 0 || commit.subject.split(' ').length < 3) continue;
      cases.push({ kind: 'commit2files', query: commit.subject, files: files.map((f) => displayPath(multiRoot, rootName, f)) });
      if (cases.length >= max) return cases;
    }
  }
  return cases;
}
