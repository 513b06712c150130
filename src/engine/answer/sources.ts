import type { SearchHit } from '../retrieve/search';
import type { NumberedSource } from './types';

/** A rough token count (~4 characters a token for code and English); used only for budgeting. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface SelectedSources {
  readonly sources: readonly NumberedSource[];
  readonly dropped: number;
}

/**
 * Numbers hits as sources in rank order and keeps as many as fit the token budget: when the budget
 * runs out, the least relevant are the ones dropped.
 */
export function selectSources(hits: readonly SearchHit[], budgetTokens: number): SelectedSources {
  const sources: NumberedSource[] = [];
  let used = 0;
  let dropped = 0;
  for (const hit of hits) {
    const cost = estimateTokens(hit.text) + 20;
    if (used + cost > budgetTokens && sources.length > 0) {
      dropped++;
      continue;
    }
    used += cost;
    sources.push({
      n: sources.length + 1,
      path: hit.displayPath,
      rootPath: hit.rootPath,
      relPath: hit.relPath,
      startLine: hit.startLine,
      endLine: hit.endLine,
      symbol: hit.symbol,
      text: hit.text,
      foundBy: hit.sources,
      score: hit.score,
    });
  }
  return { sources, dropped };
}
