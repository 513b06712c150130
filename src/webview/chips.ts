import type { CitationWire, SourceWire } from '../shared/types';
import { el, post } from './dom';

/**
 * Citation chips: `session.ts:40-72` (the shortest tail of the path that tells the answer's files
 * apart), the full path and how the citation checked out in the tooltip and the accessible name; a
 * click opens the editor at the range.
 */

const STATUS_WORDS: Readonly<Record<string, string>> = {
  ok: 'lines exist as indexed',
  moved: 'the quoted lines moved; opens them where they are now',
  stale: 'the file changed since indexing',
  invalid: 'not found',
  source: 'a source of this answer',
};

export interface ChipTarget {
  readonly path: string;
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

export function chip(target: ChipTarget, names: ReadonlyMap<string, string>, status: string, detail: string, n: number | null): HTMLElement {
  const lines = target.startLine === target.endLine ? `${target.startLine}` : `${target.startLine}-${target.endLine}`;
  const label = `${names.get(target.path) ?? target.path}:${lines}`;
  const b = el('button', `chip chip-${status}`, label);
  b.type = 'button';
  b.dataset['path'] = `${target.path}:${lines}`;
  const what = `${n === null ? '' : `Source ${n}: `}${target.path}, lines ${lines}`;
  const state = STATUS_WORDS[status] ?? status;
  b.title = `${what} — ${state}${detail === '' ? '' : ` (${detail})`}`;
  b.setAttribute('aria-label', status === 'invalid' ? `${what}, ${state}` : `Open ${what} (${state})`);
  if (status === 'invalid' || target.file === '') b.disabled = true;
  else b.addEventListener('click', () => post({ type: 'open', file: target.file, startLine: target.startLine, endLine: target.endLine }));
  return b;
}

export function citationChip(c: CitationWire, names: ReadonlyMap<string, string>): HTMLElement {
  const at = c.movedTo ?? { startLine: c.startLine, endLine: c.endLine };
  return chip({ path: c.path, file: c.file, ...at }, names, c.status, c.detail, c.n);
}

export function sourceChip(s: SourceWire, names: ReadonlyMap<string, string>): HTMLElement {
  return chip(s, names, 'source', '', s.n);
}
