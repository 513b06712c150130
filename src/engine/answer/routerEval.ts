import type { Embedder } from '../embed/embedder';
import { defaultLabels, ruleIntent, Router } from './router';

export interface RouterAccuracy {
  readonly examples: number;
  readonly folds: number;
  /** Share of requests the surface rules decide, and how often they are right when they do. */
  readonly rules: { readonly coverage: number; readonly accuracy: number };
  /** The embedding classifier alone, on held-out folds. */
  readonly classifier: { readonly accuracy: number };
  /** Rules first, classifier for the rest: what users get. Held-out folds. */
  readonly router: { readonly accuracy: number };
  readonly mistakes: readonly string[];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** k-fold cross-validation of the router on the labelled set: the classifier never sees its test fold. */
export async function evaluateRouter(embedder: Embedder, folds = 5): Promise<RouterAccuracy> {
  const labels = defaultLabels();
  let ruleCovered = 0;
  let ruleRight = 0;
  let classifierRight = 0;
  let routerRight = 0;
  const mistakes: string[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const train = labels.filter((_, i) => i % folds !== fold);
    const test = labels.filter((_, i) => i % folds === fold);
    const router = new Router(embedder, train);
    for (const example of test) {
      const expected = example.act ? 'act' : 'know';
      const rule = ruleIntent(example.text);
      if (rule !== null) {
        ruleCovered++;
        if (rule.intent === expected) ruleRight++;
      }
      if ((await router.classify(example.text)).intent === expected) classifierRight++;
      const decision = await router.decide(example.text, null);
      if (decision.intent === expected) routerRight++;
      else mistakes.push(`${example.text} → ${decision.intent} (${decision.decidedBy})`);
    }
  }
  return {
    examples: labels.length,
    folds,
    rules: { coverage: round(ruleCovered / labels.length), accuracy: round(ruleRight / Math.max(1, ruleCovered)) },
    classifier: { accuracy: round(classifierRight / labels.length) },
    router: { accuracy: round(routerRight / labels.length) },
    mistakes,
  };
}
