import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OpenAICompatibleProvider, type OpenAICompatibleConfig } from '../../src/engine/answer/providers/openaiCompatible';
import type { ProviderResult } from '../../src/engine/answer/types';
import { FakeOpenAI, type Behaviour } from '../helpers/fakeOpenAI';

let server: FakeOpenAI;
let baseUrl: string;

beforeEach(async () => {
  server = new FakeOpenAI([{ kind: 'stream', text: 'ok' }]);
  baseUrl = await server.start();
});

afterEach(async () => {
  await server.stop();
});

async function chat(script: Behaviour[], config: Partial<OpenAICompatibleConfig> = {}): Promise<{ result: ProviderResult; ms: number }> {
  server.setScript(script);
  const provider = new OpenAICompatibleProvider({ baseUrl, model: 'm', backoffBaseMs: 10, firstByteTimeoutMs: 400, idleTimeoutMs: 400, deadlineMs: 1500, ...config });
  const started = performance.now();
  const result = await provider.chat({ messages: [{ role: 'user', content: 'hi' }] });
  return { result, ms: performance.now() - started };
}

const message = (r: ProviderResult): string => (r.status === 'error' ? r.message : r.status);

describe('a faulty endpoint ends in a clear message within the deadlines', () => {
  it('a 1 byte per 100 ms drip is cut by the overall deadline, not kept alive by each byte', async () => {
    const { result, ms } = await chat([{ kind: 'drip', everyMs: 100 }], { idleTimeoutMs: 10_000 });
    expect(message(result)).toMatch(/did not finish the answer within 2 s \(sourceline\.models\.answerTimeout\)/);
    expect(ms).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
  });

  it('SSE keep-alive comments do not count as progress: the idle timeout ends it', async () => {
    const { result } = await chat([{ kind: 'keepalive', everyMs: 50 }]);
    expect(message(result)).toMatch(/stopped sending the answer \(nothing for 0 s\)/);
    expect(server.requests).toHaveLength(1);
  });

  it('an endpoint that accepts and never answers is given up after the first-byte timeout, once', async () => {
    const { result } = await chat([{ kind: 'hang' }], { retries: 3 });
    expect(message(result)).toMatch(/accepted the request but did not start answering within 0 s/);
    expect(server.requests).toHaveLength(1);
  });

  it.each<[string, Behaviour]>([
    ['an HTML page', { kind: 'body', contentType: 'text/html; charset=utf-8', body: '<!doctype html><html><body>Welcome to nginx!</body></html>' }],
    ['invalid JSON', { kind: 'body', contentType: 'application/json', body: '{"choices": [' }],
    ['JSON that is not a completion', { kind: 'body', contentType: 'application/json', body: '{"status":"ok"}' }],
    ['an event stream of something else', { kind: 'body', contentType: 'text/event-stream', body: 'event: hello\n\n' }],
  ])('%s is "not an OpenAI-compatible response", not "unreachable", and is not retried', async (_name, behaviour) => {
    const { result } = await chat([behaviour], { retries: 3 });
    expect(message(result)).toMatch(/answered with something that is not an OpenAI-compatible response/);
    expect(message(result)).not.toMatch(/could not be reached/);
    expect(server.requests).toHaveLength(1);
  });

  it('a refused connection is retried once at most', async () => {
    await server.stop();
    const { result } = await chat([], { retries: 3 });
    expect(message(result)).toMatch(/could not be reached: nothing is listening at 127\.0\.0\.1:\d+: is the model server running, on that port\?\. \(gave up after 2 attempts\)$/);
  });

  it('a port that fetch refuses ("bad port") is explained, with what to do', async () => {
    const provider = new OpenAICompatibleProvider({ baseUrl: 'http://127.0.0.1:6000/v1', model: 'm', retries: 0, deadlineMs: 1500 });
    const result = await provider.chat({ messages: [{ role: 'user', content: 'hi' }] });
    expect(message(result)).toMatch(/could not be reached: port 6000 is one that fetch refuses to connect to .*run the model server on another port/);
  });

  it('retries of 5xx stop at the overall deadline', async () => {
    const { result, ms } = await chat([{ kind: 'status', status: 503, retryAfter: '1' }], { retries: 10, deadlineMs: 1500 });
    expect(message(result)).toMatch(/answered 503.*gave up after 2 attempts/);
    expect(ms).toBeLessThan(3000);
  });
});
