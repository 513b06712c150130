import type Database from 'better-sqlite3';
import { bindable, packContext, packText } from '../../src/engine/store/chunkText';
import { readChunks } from '../../src/engine/store/readChunks';

/** Rewrites an index as it was before chunk blocks (schema.ts, the last migration): context and text in each chunk row. */
export function toLayoutBeforeBlocks(db: Database.Database): void {
  const chunks = readChunks(db, db.prepare('SELECT id FROM chunks').pluck().all().map(Number));
  const update = db.prepare('UPDATE chunks SET context = ?, text = ? WHERE id = ?');
  db.transaction(() => { for (const c of chunks) update.run(packContext(c.relPath, c.context), bindable(packText(c.text)), c.id); })();
  db.exec('DROP TABLE chunk_blocks; ALTER TABLE chunks DROP COLUMN block; ALTER TABLE chunks DROP COLUMN slot;');
}
