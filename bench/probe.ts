import { createEmbedder } from '../src/engine/embed/createEmbedder';
import { DEFAULT_WALK_OPTIONS } from '../src/engine/walk/walk';
import { Workspace } from '../src/engine/workspace';
async function main(): Promise<void> {
  const ws = Workspace.open({ roots: [{ name: 'src', path: '/work/main/bench/corpus/src' }], dbPath: '/work/main/bench/corpus/db/full.db', walk: DEFAULT_WALK_OPTIONS, embedder: createEmbedder(undefined) });
  for (let i = 0; i < 4; i++) { const t = performance.now(); await ws.update(); console.log('update', (performance.now() - t).toFixed(1)); }
  ws.close();
}
void main();
