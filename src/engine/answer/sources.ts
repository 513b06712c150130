import type { SearchHit } from '../retrieve/search';
import { splitMerged } from './split';
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
 * runs out, the least relevant are the ones dropped. With the question, a chunk of several merged
 * definitions becomes a source per definition, so each citation names that definition's lines.
 */
export function selectSources(hits: readonly SearchHit[], budgetTokens: number, question?: string): SelectedSources {
  const sources: NumberedSource[] = [];
  let used = 0;
  let dropped = 0;
  for (const hit of hits) {
    for (const part of question === undefined ? [hit] : splitMerged(hit, question)) {
      const cost = estimateTokens(part.text) + 20;
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
        startLine: part.startLine,
        endLine: part.endLine,
        symbol: part.symbol,
        text: part.text,
        foundBy: hit.sources,
        score: hit.score,
      });
    }
  }
  return { sources, dropped };
}
