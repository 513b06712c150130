import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docQuery } from '../../src/engine/text/docComments';
import { fileRanking, firstRelevantRank, lineRank, recallAt } from '../../src/engine/eval/metrics';
import { runCli } from '../helpers/cli';
import { git } from '../helpers/git';
import { tempDir, writeFiles } from '../helpers/tmp';

const TOPICS = ['parse the query string into pairs', 'format a price with currency symbol', 'retry a request with exponential backoff', 'hash a password with a random salt', 'merge two sorted lists into one', 'escape html special characters'];

describe('sourceline eval', () => {
  it('mines doc → function and commit → files cases and reports all three retrievers', () => {
    const root = tempDir();
    git(root, 'init', '-q');
    TOPICS.forEach((topic, i) => {
      const name = topic.split(' ').slice(0, 3).map((w, j) => (j === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
      writeFiles(root, { [`src/m${i}.ts`]: `/**\n * Helpers to ${topic}, used across the app.\n */\nexport function ${name}(input: string): string {\n  const parts = input.split(' ');\n  return parts.map((p) => p.trim()).join('-');\n}\n` });
      git(root, 'add', '.');
      git(root, 'commit', '-q', '-m', `add helper to ${topic}`);
    });
    const run = runCli(['eval', '--root', root, '--db', path.join(tempDir(), 'i.db'), '--json']);
    expect(run.code).toBe(0);
    const report: unknown = JSON.parse(run.stdout);
    expect(report).toMatchObject({ cases: { doc2func: 6, commit2files: 6 } });
    const rows = (report as { rows: Array<Record<string, unknown>> }).rows;
    expect(rows.map((r) => `${String(r['kind'])}/${String(r['retriever'])}`)).toEqual([
      'doc2func/lexical', 'doc2func/vector', 'doc2func/hybrid', 'commit2files/lexical', 'commit2files/vector', 'commit2files/hybrid',
    ]);
    for (const r of rows) {
      for (const key of ['fileRecall@1', 'fileRecall@5', 'fileRecall@10', 'fileMRR']) expect(r[key]).toEqual(expect.any(Number));
      expect(r['lineMRR'] === null || typeof r['lineMRR'] === 'number').toBe(true);
    }
    // The blanked copy must not give the answer away, yet the right file is findable.
    const hybrid = rows.find((r) => r['kind'] === 'doc2func' && r['retriever'] === 'hybrid');
    expect(Number(hybrid?.['fileMRR'])).toBeGreaterThan(0.5);
    expect(Number(hybrid?.['fileMRR'])).toBeLessThanOrEqual(1);
    const table = runCli(['eval', '--root', root, '--db', path.join(tempDir(), 'i.db')]);
    expect(table.stdout).toMatch(/^kind\s+retriever\s+R@1\s+R@5\s+R@10\s+file MRR\s+line MRR$/m);
  });
});

describe('eval metrics', () => {
  const results = [
    { path: 'a.ts', startLine: 1, endLine: 10 },
    { path: 'b.ts', startLine: 5, endLine: 9 },
    { path: 'a.ts', startLine: 20, endLine: 30 },
    { path: 'c.ts', startLine: 1, endLine: 3 },
  ];
  it('ranks files by their best chunk and measures recall and ranks', () => {
    const files = fileRanking(results);
    expect(files).toEqual(['a.ts', 'b.ts', 'c.ts']);
    expect(firstRelevantRank(files, new Set(['c.ts', 'b.ts']))).toBe(2);
    expect(recallAt(files, new Set(['c.ts', 'b.ts']), 2)).toBe(0.5);
    expect(lineRank(results, { path: 'a.ts', startLine: 25, endLine: 26 })).toBe(3);
    expect(lineRank(results, { path: 'd.ts', startLine: 1, endLine: 2 })).toBe(0);
  });

  it('turns doc comments into plain queries', () => {
    expect(docQuery('/**\n * Parses the {@link Query} string. Second sentence here. Third.\n * @param qs the string\n */')).toBe('Parses the Query string. Second sentence here.');
    expect(docQuery('    """Sum of all line amounts.\n\n    :param x: ignored\n    """')).toBe('Sum of all line amounts.');
  });
});
