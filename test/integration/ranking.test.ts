import * as path from 'node:path';
import { unlinkSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { openWorkspace } from '../helpers/workspace';
import { writeSyntheticProject } from '../helpers/corpus';

/** Code in languages the syntax chunker does not parse (line windows, no symbols), as in many real repositories. */
const TREE: Record<string, string> = {
  'lib/site/regenerator.rb': [
    'module Site',
    '  # Decides which pages changed since the last build.',
    '  class Regenerator',
    '    def initialize(site)',
    '      @site = site',
    '    end',
    '',
    '    def regenerate?(document)',
    '      modified?(document.path)',
    '    end',
    '  end',
    'end',
  ].join('\n'),
  'spec/regenerator_spec.rb': Array.from({ length: 12 }, (_, i) => `describe Regenerator do\n  it "regenerates case ${i}" do\n    expect(Regenerator.new(site).regenerate?(doc)).to be true\n  end\nend`).join('\n'),
  'CHANGELOG.md': '# Changes\n\n- Regenerator: faster incremental builds\n- Regenerator: fix for pages with front matter\n',
  'src/ShellCheck/Fixer.hs': 'module ShellCheck.Fixer where\n\napplyFix :: Fix -> Array Int String -> [String]\napplyFix fix fileLines = reverse (foldl step [] fileLines)\n',
  'src/ShellCheck/Formatter/Diff.hs': Array.from({ length: 8 }, (_, i) => `render${i} fix = applyFix fix (lines input) -- applyFix again for ${i}`).join('\n'),
  'src/config/Config.hs': 'module Config where\n\n-- | Reads the settings file and merges the defaults.\nreadSettings :: FilePath -> IO Settings\nreadSettings path = decodeFile path\n',
  'src/server/http.hs': 'module Http where\n\n-- | Reads configuration from the request headers.\nserve :: Request -> IO Response\nserve req = respond (headers req)\n',
};

describe('ranking on code without a syntax chunker', () => {
  it('puts the definition of a named class first, before its tests and the changelog', async () => {
    const ws = openWorkspace([tempDir(TREE)]);
    await ws.update();
    const { hits } = await ws.search('Regenerator', { limit: 5 });
    expect(hits[0]?.relPath).toBe('lib/site/regenerator.rb');
    expect(hits.findIndex((h) => h.relPath === 'CHANGELOG.md')).not.toBe(1);
    ws.close();
  });

  it('finds a definition by name even when neither retriever returned it', async () => {
    const ws = openWorkspace([tempDir(TREE)]);
    await ws.update();
    // One candidate per retriever: the usages in Diff.hs outscore the one-line definition lexically.
    const { hits } = await ws.search('where is applyFix defined', { limit: 3, depth: 1 });
    expect(hits[0]?.relPath).toBe('src/ShellCheck/Fixer.hs');
    ws.close();
  });

  it('counts a file name that matches the question', async () => {
    const ws = openWorkspace([tempDir(TREE)]);
    await ws.update();
    const { hits } = await ws.search('reading configuration settings', { limit: 3 });
    expect(hits[0]?.relPath).toBe('src/config/Config.hs');
    ws.close();
  });
});

describe('results do not depend on the limit', () => {
  it('the first N of a longer list are the list for N', async () => {
    const dir = tempDir();
    writeSyntheticProject(dir, 60);
    const ws = openWorkspace([dir]);
    await ws.update();
    for (const q of ['handle request payload parts', 'large total for module 7', 'handleRequest12x3']) {
      const long = await ws.search(q, { limit: 40 });
      for (const n of [5, 10, 20]) {
        const short = await ws.search(q, { limit: n });
        expect(short.hits.map((h) => h.chunkId)).toEqual(long.hits.slice(0, n).map((h) => h.chunkId));
      }
    }
    ws.close();
  });
});

describe('the definitions table', () => {
  it('follows the files: filled on indexing, emptied with a deleted file', async () => {
    const dir = tempDir(TREE);
    const dbPath = path.join(tempDir(), 'index.db');
    const ws = openWorkspace([dir], undefined, dbPath);
    await ws.update();
    const names = (): string[] => ws.indexStore.db.prepare('SELECT name FROM definitions ORDER BY name').pluck().all().map(String);
    expect(names()).toEqual(expect.arrayContaining(['Regenerator', 'regenerate?', 'applyFix', 'readSettings']));
    unlinkSync(path.join(dir, 'src/ShellCheck/Fixer.hs'));
    await ws.update();
    expect(names()).not.toContain('applyFix');
    ws.close();
  });

  it('is built for an index made before it existed (migration 3 re-chunks every file)', async () => {
    const dir = tempDir(TREE);
    const dbPath = path.join(tempDir(), 'index.db');
    const first = openWorkspace([dir], undefined, dbPath);
    await first.update();
    first.close();
    // What a version-2 index looks like: no definitions table.
    const db = new Database(dbPath);
    db.exec('DROP TABLE definitions');
    db.pragma('user_version = 2');
    db.close();
    const again = openWorkspace([dir], undefined, dbPath);
    const summary = await again.update();
    expect(summary.filesIndexed).toBe(Object.keys(TREE).length);
    expect(again.indexStore.db.prepare("SELECT count(*) FROM definitions WHERE name = 'applyFix'").pluck().get()).toBe(1);
    again.close();
  });
});
