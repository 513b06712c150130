/**
 * What an agent reads before it reaches the first relevant code, by two strategies on the same
 * question: Sourceline's search_code tool (the text a model receives, entry by entry, up to the first
 * range in a gold file) and grep-then-read (ripgrep with the question's words, files ranked by how
 * many of the words they contain, read whole in that order up to the first gold file). Tokens are
 * estimated as characters / 4, the usual rule of thumb for code and English.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { runAgentTool } from '../../src/engine/tools/agentTools';
import type { Workspace } from '../../src/engine/workspace';
import { round } from '../stats';
import { ripgrepRank } from './baselines';
import type { DevCase } from './cases';

const CHARS_PER_TOKEN = 4;
const TOOL_LIMIT = 10;
/** Files grep-then-read opens at most before giving up. */
const GREP_FILES = 50;

export interface StrategyCost {
  /** Tokens read up to and including the first relevant range (all that was read when none was). */
  readonly tokens: number;
  /** 1-based rank of the first relevant range or file; null when none was found. */
  readonly rank: number | null;
}

export interface AgentCost {
  readonly tool: StrategyCost;
  readonly grep: StrategyCost;
}

function tokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function toolCost(ws: Workspace, c: DevCase, gold: ReadonlySet<string>): Promise<StrategyCost> {
  const out = await runAgentTool('search_code', { query: c.query, limit: TOOL_LIMIT }, { ws, index: () => ({ phase: 'ready', note: 'The index is up to date.' }) });
  const results = isRecord(out.structured) && Array.isArray(out.structured['results']) ? out.structured['results'] : [];
  const rank = results.findIndex((r: unknown) => isRecord(r) && typeof r['path'] === 'string' && gold.has(r['path']));
  if (rank < 0) return { tokens: tokens(out.text.length), rank: null };
  // The text up to the end of that entry: entries start with "N. " at the beginning of a line.
  const next = out.text.search(new RegExp(`\\n${rank + 2}\\. `));
  return { tokens: tokens(next < 0 ? out.text.length : next), rank: rank + 1 };
}

function grepCost(dir: string, indexed: ReadonlySet<string>, c: DevCase, gold: ReadonlySet<string>): StrategyCost {
  let chars = 0;
  const files = ripgrepRank(dir, indexed, c.query, GREP_FILES);
  for (const [i, file] of files.entries()) {
    chars += statSync(path.join(dir, file)).size;
    if (gold.has(file)) return { tokens: tokens(chars), rank: i + 1 };
  }
  return { tokens: tokens(chars), rank: null };
}

export async function agentCost(ws: Workspace, dir: string, indexed: ReadonlySet<string>, c: DevCase): Promise<AgentCost> {
  const gold = new Set(c.gold.map((g) => g.path));
  return { tool: await toolCost(ws, c, gold), grep: grepCost(dir, indexed, c, gold) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] ?? 0);
}

export interface StrategySummary {
  readonly found: number;
  readonly medianTokens: number;
  readonly meanTokens: number;
  readonly medianRank: number | null;
}

/** Per strategy: the share of cases with a relevant hit, and tokens and ranks over all cases. */
export function summarize(costs: readonly AgentCost[]): { cases: number; tool: StrategySummary; grep: StrategySummary; medianTokenRatio: number } {
  const of = (pick: (c: AgentCost) => StrategyCost): StrategySummary => {
    const list = costs.map(pick);
    const ranks = list.flatMap((s) => (s.rank === null ? [] : [s.rank]));
    return {
      found: round(ranks.length / Math.max(1, list.length), 3),
      medianTokens: median(list.map((s) => s.tokens)),
      meanTokens: Math.round(list.reduce((a, s) => a + s.tokens, 0) / Math.max(1, list.length)),
      medianRank: ranks.length === 0 ? null : median(ranks),
    };
  };
  const tool = of((c) => c.tool);
  const grep = of((c) => c.grep);
  return { cases: costs.length, tool, grep, medianTokenRatio: round(grep.medianTokens / Math.max(1, tool.medianTokens), 1) };
}
