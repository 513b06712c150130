import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchTree, type TreeWatcher } from '../../src/engine/walk/treeWatcher';
import { tempDir } from '../helpers/tmp';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 30));
  expect(condition()).toBe(true);
}

function watched(root: string): { watcher: TreeWatcher; seen: Set<string>; errors: unknown[] } {
  const seen = new Set<string>();
  const errors: unknown[] = [];
  const watcher = watchTree(root, {
    ignored: (p) => path.basename(p) === 'node_modules',
    onChange: (p) => seen.add(path.relative(root, p)),
    onError: (e) => errors.push(e),
  });
  return { watcher, seen, errors };
}

describe('watchTree', () => {
  it('reports files changed, created and removed in any folder, one watch per folder and none in ignored ones', async () => {
    const root = tempDir({ 'a.ts': '1', 'src/deep/b.ts': '2', 'src/c.ts': '3', 'node_modules/x/index.js': '4' });
    const { watcher, seen, errors } = watched(root);
    try {
      await watcher.ready;
      // root, src, src/deep: node_modules and its folders are not watched.
      expect(watcher.folders()).toBe(3);
      writeFileSync(path.join(root, 'src/deep/b.ts'), 'changed');
      writeFileSync(path.join(root, 'src/new.ts'), 'new');
      rmSync(path.join(root, 'a.ts'));
      writeFileSync(path.join(root, 'node_modules/x/index.js'), 'changed');
      await until(() => seen.has('src/deep/b.ts') && seen.has('src/new.ts') && seen.has('a.ts'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect([...seen].some((p) => p.startsWith('node_modules'))).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      watcher.close();
    }
  });

  it('follows a folder created after the start (reported as itself, then what is written in it) and forgets one removed', async () => {
    const root = tempDir({ 'src/a.ts': '1' });
    const { watcher, seen } = watched(root);
    try {
      await watcher.ready;
      mkdirSync(path.join(root, 'src/feature/inner'), { recursive: true });
      await until(() => seen.has('src/feature') && watcher.folders() === 4);
      writeFileSync(path.join(root, 'src/feature/inner/x.ts'), 'x');
      await until(() => seen.has('src/feature/inner/x.ts'));
      rmSync(path.join(root, 'src/feature'), { recursive: true });
      await until(() => watcher.folders() === 2);
    } finally {
      watcher.close();
    }
    expect(watcher.folders()).toBe(0);
  });
});
