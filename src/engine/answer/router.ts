import { dot, type Embedder } from '../embed/embedder';
import { ACT_REQUESTS, KNOW_REQUESTS } from './routerLabels';
import type { Intent, Route, RouteRole } from './types';

/**
 * RAG for knowledge, fine-tuning for behaviour. A request is `know` (explain, where, why, how: the
 * answer is facts from the code) or `act` (write a docstring, a commit message, a test, code "in our
 * style": the answer is an artefact whose form is the team's). Explicit prefixes win (`/ask`,
 * `/style`); then strong surface rules; then a classifier on the query embedding.
 */

const ACT_VERB = /^(?:please\s+|can you\s+|could you\s+)?(write|rewrite|reword|draft|generate|create|add|document|implement|refactor|rename|convert|produce|compose|format|make|turn|suggest|give|fix the formatting|summari[sz]e my)\b/i;
const QUESTION = /^(what|where|why|how|which|who|whom|when|explain|describe|does|do|did|is|are|was|can|could|should|show me|find|list|tell me|walk me|summari[sz]e what)\b/i;
const STYLE = /\b(in (our|the) (house |usual |team'?s? )?style|our (conventions|naming|format|wording|tone)|like (the|our) (other|existing)|match(es|ing)? our)\b/i;
const ARTEFACT = /\b(docstrings?|doc ?comments?|jsdoc|tsdoc|javadoc|rustdoc|doc block|commit (message|subject)|changelog|release notes|pr description)\b/i;

export type RouteOverride = 'ask' | 'style' | null;

/** Strips a leading `/ask` or `/style` and says which it was. */
export function parseOverride(question: string): { question: string; override: RouteOverride } {
  const m = /^\s*\/(ask|style)\b\s*/i.exec(question);
  if (m === null) return { question, override: null };
  return { question: question.slice(m[0].length), override: m[1]?.toLowerCase() === 'style' ? 'style' : 'ask' };
}

interface RuleVerdict {
  readonly intent: Intent;
  readonly why: string;
}

export function ruleIntent(question: string): RuleVerdict | null {
  const q = question.trim();
  const verb = ACT_VERB.exec(q);
  if (verb !== null) return { intent: 'act', why: `asks to ${verb[1]?.toLowerCase() ?? 'produce'} something` };
  const asks = QUESTION.exec(q);
  if (asks !== null) return { intent: 'know', why: `asks "${asks[1]?.toLowerCase() ?? 'what'} …"` };
  if (STYLE.test(q)) return { intent: 'act', why: 'asks for the house style' };
  if (ARTEFACT.test(q)) return { intent: 'act', why: 'asks for a docstring, commit message or similar artefact' };
  return null;
}

/** Binary logistic regression on embeddings: p(act | query). */
export class IntentClassifier {
  private constructor(
    private readonly weights: Float32Array,
    private readonly bias: number,
  ) {}

  static train(examples: ReadonlyArray<{ vector: Float32Array; act: boolean }>, epochs = 300, rate = 0.5, l2 = 1e-3): IntentClassifier {
    const dims = examples[0]?.vector.length ?? 0;
    const w = new Float32Array(dims);
    let b = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const grad = new Float32Array(dims);
      let gradB = 0;
      for (const { vector, act } of examples) {
        const error = sigmoid(dot(w, vector) + b) - (act ? 1 : 0);
        for (let i = 0; i < dims; i++) grad[i] = (grad[i] ?? 0) + error * (vector[i] ?? 0);
        gradB += error;
      }
      for (let i = 0; i < dims; i++) w[i] = (w[i] ?? 0) - rate * ((grad[i] ?? 0) / examples.length + l2 * (w[i] ?? 0));
      b -= (rate * gradB) / examples.length;
    }
    return new IntentClassifier(w, b);
  }

  probabilityAct(vector: Float32Array): number {
    return sigmoid(dot(this.weights, vector) + this.bias);
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export interface RoutingDecision {
  readonly intent: Intent;
  readonly why: string;
  readonly decidedBy: 'override' | 'rule' | 'classifier';
}

export interface AvailableModels {
  readonly knowledge: string | null;
  readonly houseStyle: string | null;
}

/** Picks the model role for an intent, and says why in one sentence. */
export function chooseRole(decision: RoutingDecision, models: AvailableModels): Route {
  const base = `Request ${decision.why} (${decision.decidedBy}) → ${decision.intent}`;
  let role: RouteRole;
  let model: string;
  let reason: string;
  if (decision.intent === 'act' && models.houseStyle !== null) {
    role = 'houseStyle';
    model = models.houseStyle;
    reason = `${base}: the fine-tuned house-style model writes it, given retrieved context.`;
  } else if (models.knowledge !== null) {
    role = 'knowledge';
    model = models.knowledge;
    reason = decision.intent === 'act'
      ? `${base}: no house-style model is configured, so the knowledge model writes it with retrieved examples of the house style.`
      : `${base}: the knowledge model answers from retrieved sources.`;
  } else {
    role = 'sourcesOnly';
    model = 'sources-only';
    reason = `${base}; no model is configured, so the answer is built from the sources alone.`;
  }
  return { role, intent: decision.intent, model, reason };
}

/** Trains lazily with the active embedder; `labels` can be narrowed for cross-validation. */
export class Router {
  private classifier: Promise<IntentClassifier> | undefined;

  constructor(
    private readonly embedder: Embedder,
    private readonly labels: ReadonlyArray<{ text: string; act: boolean }> = defaultLabels(),
  ) {}

  private async embedOne(text: string): Promise<Float32Array | null> {
    const result = await this.embedder.embed([text], 'query');
    return result.status === 'ok' ? (result.vectors[0] ?? null) : null;
  }

  private trained(): Promise<IntentClassifier> {
    this.classifier ??= (async () => {
      const result = await this.embedder.embed(this.labels.map((l) => l.text), 'query');
      const vectors = result.status === 'ok' ? result.vectors : [];
      const examples = this.labels.flatMap((l, i) => {
        const vector = vectors[i];
        return vector === undefined ? [] : [{ vector, act: l.act }];
      });
      return IntentClassifier.train(examples);
    })();
    return this.classifier;
  }

  async decide(question: string, override: RouteOverride): Promise<RoutingDecision> {
    if (override !== null) {
      return { intent: override === 'style' ? 'act' : 'know', why: `starts with /${override}`, decidedBy: 'override' };
    }
    const rule = ruleIntent(question);
    if (rule !== null) return { ...rule, decidedBy: 'rule' };
    return this.classify(question);
  }

  /** The classifier alone (also used to measure it). */
  async classify(question: string): Promise<RoutingDecision> {
    const vector = await this.embedOne(question);
    if (vector === null) return { intent: 'know', why: 'could not be classified (embedding failed), so it is treated as a question', decidedBy: 'classifier' };
    const p = (await this.trained()).probabilityAct(vector);
    const intent: Intent = p >= 0.5 ? 'act' : 'know';
    const confidence = Math.round((intent === 'act' ? p : 1 - p) * 100);
    return { intent, why: `reads like ${intent === 'act' ? 'a request to write something' : 'a question about the code'} (${confidence}% sure)`, decidedBy: 'classifier' };
  }
}

export function defaultLabels(): Array<{ text: string; act: boolean }> {
  return [...KNOW_REQUESTS.map((text) => ({ text, act: false })), ...ACT_REQUESTS.map((text) => ({ text, act: true }))];
}
