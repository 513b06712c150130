import { bestSnippet } from '../../retrieve/snippet';
import { docSummary } from '../../text/docComments';
import type { NumberedSource } from '../types';

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
      const claim = summary === null ? `${name} matches the question.` : `${name}: ${summary.replace(/[.!?]?$/, '.')}`;
      const snippet = bestSnippet(s.text, s.startLine, question, 4);
      const code = snippet.text.split('\n').map((l) => `  ${l}`).join('\n');
      parts.push(`- ${claim} [${s.n}]\n  \`\`\`${fenceLanguage(file)}\n${code}\n  \`\`\``);
    }
  }
  return parts.join('\n');
}
