import { describe, expect, it } from 'vitest';
import { packContext, unpackContext } from '../../src/engine/store/chunkText';
import { readChunks } from '../../src/engine/store/readChunks';
import { openWorkspace } from '../helpers/workspace';
import { tempDir } from '../helpers/tmp';

describe("a chunk's context header as stored", () => {
  it('is stored without the path the files table holds, and reads back whole', () => {
    for (const [relPath, context] of [
      ['src/a.ts', 'src/a.ts\nclass A\nparse(x: string)'],
      ['src/a.ts', 'src/a.ts'],
      ['src/a.ts', 'src/a.ts\n'],
      ['src/a.ts', 'lib/b.ts\nnot its own path'],
      ['src/a.ts', '\u0001starts with a marker'],
      ['src/a.ts', '\u0002starts with the other'],
      ['', ''],
      ['d/ünïcode 𝒇.py', 'd/ünïcode 𝒇.py\ndef 𝒇():'],
    ] as const) {
      expect(unpackContext(relPath, packContext(relPath, context))).toBe(context);
    }
    expect(packContext('src/a.ts', 'src/a.ts\nclass A')).toBe('\u0001\nclass A');
    // Rows written before read as they were.
    expect(unpackContext('src/a.ts', 'src/a.ts\nclass A')).toBe('src/a.ts\nclass A');
  });

  it('in a real index: the column holds no paths, and rows written the old way read the same', async () => {
    const root = tempDir({ 'src/session.ts': 'export class Session {\n  refresh(token: string) {\n    return token.trim();\n  }\n}\n', 'README.md': '# Title\n\nSome words about sessions.\n' });
    const ws = openWorkspace([root]);
    await ws.update();
    const db = ws.indexStore.db;
    const ids = db.prepare('SELECT id FROM chunks ORDER BY id').pluck().all().map(Number);
    const before = readChunks(db, ids);
    expect(before.length).toBeGreaterThan(1);
    for (const chunk of before) expect(chunk.context.startsWith(chunk.relPath)).toBe(true);
    const raw = db.prepare('SELECT context FROM chunks').pluck().all().map(String);
    expect(raw.some((c) => c.includes('session.ts') || c.includes('README.md'))).toBe(false);
    // An index written before: full headers in the column, texts in the row.
    const update = db.prepare('UPDATE chunks SET context = ?, text = ?, block = NULL, slot = NULL WHERE id = ?');
    for (const chunk of before) update.run(chunk.context, chunk.text, chunk.id);
    expect(readChunks(db, ids)).toEqual(before);
    expect((await ws.search('refresh token session', { limit: 3 })).hits[0]?.relPath).toBe('src/session.ts');
    ws.close();
  });
});
