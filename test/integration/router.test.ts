import { describe, expect, it } from 'vitest';
import { evaluateRouter } from '../../src/engine/answer/routerEval';
import { createEmbedder } from '../../src/engine/embed/createEmbedder';

describe('router with the built-in model (what runs by default)', () => {
  it('routes the labelled set accurately on held-out folds', async () => {
    const embedder = createEmbedder('builtin');
    const result = await evaluateRouter(embedder);
    expect(result.router.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.classifier.accuracy).toBeGreaterThanOrEqual(0.85);
    await embedder.dispose();
  });
});
