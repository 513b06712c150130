import { describe, expect, it } from 'vitest';
import { HashEmbedder } from '../../src/engine/embed/hashEmbedder';
import { ACT_REQUESTS, KNOW_REQUESTS } from '../../src/engine/answer/routerLabels';
import { chooseRole, parseOverride, ruleIntent } from '../../src/engine/answer/router';
import { evaluateRouter } from '../../src/engine/answer/routerEval';

describe('router', () => {
  it('has a labelled set of at least 150 realistic requests, both intents well represented', () => {
    expect(KNOW_REQUESTS.length + ACT_REQUESTS.length).toBeGreaterThanOrEqual(150);
    expect(Math.min(KNOW_REQUESTS.length, ACT_REQUESTS.length)).toBeGreaterThanOrEqual(70);
    expect(new Set([...KNOW_REQUESTS, ...ACT_REQUESTS]).size).toBe(KNOW_REQUESTS.length + ACT_REQUESTS.length);
  });

  it('routes the labelled set accurately on held-out folds (regression test)', async () => {
    const result = await evaluateRouter(new HashEmbedder());
    console.log(JSON.stringify(result, null, 2));
    expect(result.router.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(result.classifier.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('honours /ask and /style overrides', () => {
    expect(parseOverride('/style make it shorter')).toEqual({ question: 'make it shorter', override: 'style' });
    expect(parseOverride('/ask write a docstring?')).toEqual({ question: 'write a docstring?', override: 'ask' });
    expect(parseOverride('how /style works')).toEqual({ question: 'how /style works', override: null });
  });

  it('says which model answers and why, falling back when a role is not configured', () => {
    const act = { intent: 'act' as const, why: 'asks to write something', decidedBy: 'rule' as const };
    expect(chooseRole(act, { knowledge: 'llama3', houseStyle: 'ft:x' })).toMatchObject({ role: 'houseStyle', model: 'ft:x' });
    expect(chooseRole(act, { knowledge: 'llama3', houseStyle: null }).reason).toMatch(/retrieved examples of the house style/);
    expect(chooseRole(act, { knowledge: null, houseStyle: null })).toMatchObject({ role: 'sourcesOnly', model: 'sources-only' });
  });

  it('rules recognise questions and requests in several phrasings', () => {
    expect(ruleIntent('Where is the config loaded?')?.intent).toBe('know');
    expect(ruleIntent('Please write tests for the parser')?.intent).toBe('act');
    expect(ruleIntent('docstring for parse_config in our style')?.intent).toBe('act');
    expect(ruleIntent('session refresh')).toBeNull();
  });
});
