import type { IndexSummary } from '../engine/indexer';
import type { EvalReport } from '../engine/eval/runEval';
import type { SearchHit } from '../engine/retrieve/search';
import { bestSnippet } from '../engine/retrieve/snippet';
import type { IndexStatus } from '../engine/store/status';
import { skipReasonText } from '../engine/walk/skipReasons';
import type { SkipReason } from '../engine/types';

const n = (x: number): string => x.toLocaleString('en-US');

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function skippedSummary(skipped: Readonly<Partial<Record<SkipReason, number>>>): string {
  const parts = Object.entries(skipped).filter(([, c]) => (c ?? 0) > 0).map(([reason, c]) => `${reason} ${n(c ?? 0)}`);
  const total = Object.values(skipped).reduce((a, b) => a + (b ?? 0), 0);
  return parts.length === 0 ? 'skipped 0' : `skipped ${n(total)} (${parts.join(', ')})`;
}

/** The one-line summary after indexing: files indexed / skipped by reason / chunks / seconds. */
export function formatSummary(s: IndexSummary, totalChunks: number): string {
  const changed = [`${n(s.filesIndexed)} changed`, s.filesDeleted > 0 ? `${n(s.filesDeleted)} deleted` : ''].filter((x) => x !== '').join(', ');
  return `Indexed ${n(s.filesSeen - Object.values(s.skipped).reduce((a, b) => a + (b ?? 0), 0))} files (${changed}) · ${skippedSummary(s.skipped)} · ${n(totalChunks)} chunks (${n(s.chunksEmbedded)} embedded) · ${s.seconds.toFixed(2)} s`;
}

export interface JsonResult {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly score: number;
  readonly snippet: string;
  readonly sources: readonly string[];
  readonly symbol: string;
  readonly root: string;
}

export function toJsonResult(hit: SearchHit, query: string): JsonResult {
  return {
    path: hit.displayPath,
    startLine: hit.startLine,
    endLine: hit.endLine,
    score: Number(hit.score.toFixed(6)),
    snippet: bestSnippet(hit.text, hit.startLine, query).text,
    sources: hit.sources,
    symbol: hit.symbol,
    root: hit.rootPath,
  };
}

export function formatHits(hits: readonly SearchHit[], query: string): string {
  if (hits.length === 0) return 'No results. Try other words, or check `sourceline status` for skipped files.';
  return hits
    .map((h, i) => {
      const snippet = bestSnippet(h.text, h.startLine, query, 4);
      const body = snippet.text.split('\n').map((l) => `     ${l.slice(0, 160)}`).join('\n');
      const name = h.symbol === '' ? '' : `  ${h.symbol}`;
      return `${i + 1}. ${h.displayPath}:${h.startLine}-${h.endLine}${name}  [${h.sources.join('+')}]\n${body}`;
    })
    .join('\n\n');
}

export function formatStatus(s: IndexStatus, dbPath: string, verbose: boolean): string {
  const lines = [
    `Index: ${dbPath} (${formatBytes(s.dbBytes)})`,
    `Model: ${s.model ?? 'none yet'}${s.dims === null ? '' : ` (${s.dims} dimensions)`}`,
    ...s.roots.map((r) => `Root: ${r.name} → ${r.path} (${n(r.files)} files)`),
    `Files indexed: ${n(s.filesIndexed)} · chunks: ${n(s.chunks)} · vectors: ${n(s.vectors)}`,
    `Files skipped: ${n(s.filesSkipped)}`,
  ];
  for (const [reason, count] of Object.entries(s.skippedByReason)) {
    lines.push(`  ${reason}: ${n(count)} — ${skipReasonText(reason)}`);
  }
  if (verbose) for (const f of s.skipped) lines.push(`  ${f.root}/${f.path}: ${f.reason} (${f.detail})`);
  else if (s.filesSkipped > 0) lines.push('  (--verbose lists each file; --why PATH explains one)');
  if (s.redacted.length > 0) {
    lines.push(`Secrets redacted (replaced by «redacted: …» before indexing): ${n(s.redacted.length)} files`);
    for (const f of verbose ? s.redacted : s.redacted.slice(0, 5)) lines.push(`  ${f.root}/${f.path}: ${f.detail}`);
    if (!verbose && s.redacted.length > 5) lines.push('  (--verbose lists every file)');
  }
  return lines.join('\n');
}

/** The eval as a table: one row per case kind and retriever. */
export function formatEval(report: EvalReport): string {
  const header = ['kind', 'retriever', 'R@1', 'R@5', 'R@10', 'file MRR', 'line MRR'];
  const rows = report.rows.map((r) => [r.kind, r.retriever, r['fileRecall@1'], r['fileRecall@5'], r['fileRecall@10'], r.fileMRR, r.lineMRR ?? '—'].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  const cases = `Cases: ${report.cases.doc2func} doc → function, ${report.cases.commit2files} commit → files · model ${report.model}`;
  if (report.rows.length === 0) return `${cases}\nNo cases: the repository has no documented functions and no git history to learn from.`;
  return [cases, line(header), ...rows.map(line)].join('\n');
}
