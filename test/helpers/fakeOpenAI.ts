import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake endpoint does for one request. */
export type Behaviour =
  | { readonly kind: 'stream'; readonly text: string; readonly delayMs?: number }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'cut'; readonly text: string }
  | { readonly kind: 'json'; readonly text: string }
  /** A stream that sends one byte every `everyMs` and never completes. */
  | { readonly kind: 'drip'; readonly everyMs: number }
  /** A stream of SSE keep-alive comments every `everyMs`, never an event. */
  | { readonly kind: 'keepalive'; readonly everyMs: number }
  /** 200 with a body that is not an OpenAI response (a web page, broken JSON). */
  | { readonly kind: 'body'; readonly contentType: string; readonly body: string };

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

/**
 * A local OpenAI-compatible chat completions server that streams like the real API: a role delta,
 * content deltas, a usage chunk, then `data: [DONE]`. Each request takes the next scripted behaviour
 * (the last one repeats); every request is recorded for assertions.
 */
export class FakeOpenAI {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private readonly open = new Set<ServerResponse>();

  constructor(private script: Behaviour[]) {}

  /** Responses still open: a client that gave up has closed its request, so it is no longer counted. */
  openResponses(): number {
    return this.open.size;
  }

  setScript(script: Behaviour[]): void {
    this.script = script;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}/v1`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    await new Promise<void>((resolve) => (this.server === undefined ? resolve() : this.server.close(() => resolve())));
  }

  private next(): Behaviour {
    const behaviour = this.script.length > 1 ? this.script.shift() : this.script[0];
    return behaviour ?? { kind: 'status', status: 500 };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    this.requests.push({ path: req.url ?? '', headers: req.headers, body });
    const behaviour = this.next();
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    if (!(req.url ?? '').includes('/chat/completions')) {
      res.writeHead(404).end('{"error":{"message":"not found"}}');
      return;
    }
    switch (behaviour.kind) {
      case 'status':
        res.writeHead(behaviour.status, { 'content-type': 'application/json', ...(behaviour.retryAfter === undefined ? {} : { 'retry-after': behaviour.retryAfter }) });
        res.end(behaviour.body ?? JSON.stringify({ error: { message: `status ${behaviour.status}` } }));
        return;
      case 'hang':
        return;
      case 'body':
        res.writeHead(200, { 'content-type': behaviour.contentType });
        res.end(behaviour.body);
        return;
      case 'drip':
      case 'keepalive': {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const line = behaviour.kind === 'drip' ? 'data: {"choices":[{"delta":{"content":"never ending"}}]}\n\n' : ': keep-alive\n\n';
        let i = 0;
        const timer = setInterval(() => {
          if (behaviour.kind === 'drip') res.write(line[i++ % line.length] ?? '');
          else res.write(line);
        }, behaviour.everyMs);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: behaviour.text } }] }));
        return;
      case 'stream':
      case 'cut': {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const send = (payload: unknown): boolean => res.write(`data: ${JSON.stringify(payload)}\n\n`);
        const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'fake' };
        send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
        const words = behaviour.text.split(/(?<=\s)/);
        const pieces = behaviour.kind === 'cut' ? words.slice(0, Math.max(1, Math.floor(words.length / 2))) : words;
        for (const piece of pieces) {
          if (behaviour.kind === 'stream' && behaviour.delayMs !== undefined) await new Promise((r) => setTimeout(r, behaviour.delayMs));
          send({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
        }
        if (behaviour.kind === 'cut') {
          // Let the first half reach the client, then drop the connection without [DONE].
          await new Promise((r) => setTimeout(r, 50));
          res.destroy();
          return;
        }
        send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        send({ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: pieces.length, total_tokens: 10 + pieces.length } });
        res.end('data: [DONE]\n\n');
        return;
      }
    }
  }
}
