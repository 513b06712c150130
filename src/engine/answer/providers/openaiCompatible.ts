import { isRecord } from '../../../shared/guards';
import { errorCode } from '../../../shared/errors';
import { unreachableReason } from './unreachable';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import type { ChatProvider, ChatRequest, ProviderResult } from '../types';

export interface OpenAICompatibleConfig {
  /** `http://localhost:11434/v1` (Ollama), `https://api.openai.com/v1`, or an Azure deployment URL with `?api-version=…`. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Longest wait for the response to start (its status and headers). Default 15 s. */
  readonly firstByteTimeoutMs?: number;
  /** Longest wait between two stream events that carry data; keep-alive comments and dripped bytes do not count. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** The whole answer, every attempt and backoff included. Default 120 s (`sourceline.models.answerTimeout`). */
  readonly deadlineMs?: number;
  /** Further attempts after a 429 or a 5xx before anything was streamed (a refused connection gets one). */
  readonly retries?: number;
  readonly temperature?: number;
  /** For tests: shorter backoff. */
  readonly backoffBaseMs?: number;
}

const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 15_000;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const MAX_RETRY_AFTER_MS = 20_000;
/** A refused connection means nothing listens there: retrying more than once only keeps the user waiting. */
const REFUSED_RETRIES = 1;

/** Azure OpenAI: `…/openai/deployments/<name>?api-version=…`, authenticated with an `api-key` header. */
function isAzure(url: URL): boolean {
  return url.hostname.endsWith('.openai.azure.com') || url.pathname.includes('/openai/deployments/');
}

export function chatCompletionsUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  return url;
}

type Attempt =
  | { readonly kind: 'done'; readonly result: ProviderResult }
  | { readonly kind: 'retry'; readonly message: string; readonly afterMs: number | null; readonly refused?: boolean };

/** Which timer ended an attempt, so the message can say what the endpoint failed to do. */
type Expiry = 'first-byte' | 'idle' | 'deadline' | null;

/** Error texts never carry the key, even if an endpoint echoes the request. */
function redact(text: string, key: string | undefined): string {
  return key === undefined || key === '' ? text : text.split(key).join('***');
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, date - Date.now()));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function hasChoices(payload: unknown): payload is Record<string, unknown> & { choices: unknown[] } {
  return isRecord(payload) && Array.isArray(payload['choices']);
}

/** The text of one SSE `data:` payload's first choice delta (or message, for non-streaming servers). */
export function deltaText(payload: unknown): string {
  if (!hasChoices(payload)) return '';
  const choice: unknown = payload['choices'][0];
  if (!isRecord(choice)) return '';
  for (const key of ['delta', 'message']) {
    const part = choice[key];
    if (isRecord(part) && typeof part['content'] === 'string') return part['content'];
  }
  return '';
}

/**
 * Chat completions over HTTP with streaming (server-sent events): one provider for Ollama,
 * llama.cpp's server, vLLM, LM Studio, OpenAI (fine-tuned `ft:` ids included) and Azure OpenAI.
 */
export class OpenAICompatibleProvider implements ChatProvider {
  readonly model: string;
  readonly label: string;
  private readonly deadlineMs: number;

  constructor(private readonly config: OpenAICompatibleConfig) {
    this.model = config.model;
    this.deadlineMs = config.deadlineMs ?? DEFAULT_SETTINGS.answerTimeout * 1000;
    this.label = `${config.model} at ${new URL(config.baseUrl).host}`;
  }

  async chat(request: ChatRequest): Promise<ProviderResult> {
    const deadline = performance.now() + this.deadlineMs;
    const attempts = 1 + (this.config.retries ?? 3);
    let last = 'no attempt made';
    let made = 0;
    let refused = 0;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (request.signal?.aborted === true) return { status: 'cancelled' };
      const outcome = await this.attempt(request, deadline);
      made++;
      if (outcome.kind === 'done') return outcome.result;
      last = outcome.message;
      if (outcome.refused === true && ++refused > REFUSED_RETRIES) break;
      const wait = outcome.afterMs ?? (this.config.backoffBaseMs ?? 500) * 2 ** attempt;
      // No attempt is started that the deadline would cut short before it could answer.
      if (attempt + 1 >= attempts || performance.now() + wait >= deadline) break;
      await sleep(wait, request.signal);
    }
    return { status: 'error', message: `${last} (gave up after ${made} attempt${made === 1 ? '' : 's'})`, retryable: true };
  }

  private async attempt(request: ChatRequest, deadline: number): Promise<Attempt> {
    const { baseUrl, model, apiKey } = this.config;
    const url = chatCompletionsUrl(baseUrl);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (apiKey !== undefined && apiKey !== '') {
      if (isAzure(url)) headers['api-key'] = apiKey;
      else headers['authorization'] = `Bearer ${apiKey}`;
    }
    const body = JSON.stringify({
      model,
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: this.config.temperature ?? 0.2,
    });
    const firstByteMs = this.config.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS;
    const idleMs = this.config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let expired: Expiry = null;
    const expire = (why: Expiry): void => {
      expired ??= why;
      controller.abort();
    };
    // Two timers: the overall deadline, and one for the current wait (first byte, then each data event).
    const deadlineTimer = setTimeout(() => expire('deadline'), Math.max(0, deadline - performance.now()));
    let waitTimer = setTimeout(() => expire('first-byte'), firstByteMs);
    const awaitNextEvent = (): void => {
      clearTimeout(waitTimer);
      waitTimer = setTimeout(() => expire('idle'), idleMs);
    };
    let text = '';
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
      awaitNextEvent();
      if (!response.ok) return await this.failure(response);
      if (response.body === null) return { kind: 'done', result: { status: 'error', message: `${this.label} sent an empty response.`, retryable: false } };
      const contentType = response.headers.get('content-type') ?? '';
      if (!contentType.includes('text/event-stream')) {
        const raw = await response.text();
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          return this.notCompatible(contentType, raw);
        }
        if (!hasChoices(json)) return this.notCompatible(contentType, raw);
        text = deltaText(json);
        if (text !== '') request.onDelta?.(text);
        return { kind: 'done', result: { status: 'ok', text, model } };
      }
      let events = 0;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let finished = false;
      while (!finished) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') {
            finished = true;
            break;
          }
          let payload: unknown;
          try {
            payload = JSON.parse(data);
          } catch {
            continue;
          }
          // Only an event with a payload shows the model is still answering.
          awaitNextEvent();
          events++;
          if (isRecord(payload) && isRecord(payload['error'])) {
            const message = typeof payload['error']['message'] === 'string' ? payload['error']['message'] : 'unknown error';
            return { kind: 'done', result: { status: 'error', message: redact(`${this.label} reported an error mid-answer: ${message}`, apiKey), retryable: false } };
          }
          const piece = deltaText(payload);
          if (piece !== '') {
            text += piece;
            request.onDelta?.(piece);
          }
        }
      }
      if (!finished && events === 0) return this.notCompatible(contentType, buffer);
      if (!finished) {
        return { kind: 'done', result: { status: 'error', message: `${this.label} closed the stream before the answer was complete.`, retryable: false } };
      }
      return { kind: 'done', result: { status: 'ok', text, model } };
    } catch (error) {
      if (request.signal?.aborted === true) return { kind: 'done', result: { status: 'cancelled' } };
      if (expired !== null) return { kind: 'done', result: { status: 'error', message: this.expiryMessage(expired, firstByteMs, idleMs, text !== ''), retryable: true } };
      if (text !== '') {
        return { kind: 'done', result: { status: 'error', message: `${this.label} closed the stream before the answer was complete.`, retryable: false } };
      }
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const refused = errorCode(cause) === 'ECONNREFUSED';
      return { kind: 'retry', message: redact(`${this.label} could not be reached: ${unreachableReason(error, this.config.baseUrl)}.`, apiKey), afterMs: null, refused };
    } finally {
      clearTimeout(waitTimer);
      clearTimeout(deadlineTimer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** A timeout is not retried: a hung endpoint would hang again, and the user has waited long enough. */
  private expiryMessage(expired: Exclude<Expiry, null>, firstByteMs: number, idleMs: number, streamed: boolean): string {
    const s = (ms: number): string => `${Math.round(ms / 1000)} s`;
    const partial = streamed ? ' The answer so far is incomplete.' : '';
    if (expired === 'first-byte') return `${this.label} accepted the request but did not start answering within ${s(firstByteMs)}.`;
    if (expired === 'idle') return `${this.label} stopped sending the answer (nothing for ${s(idleMs)}).${partial}`;
    return `${this.label} did not finish the answer within ${s(this.deadlineMs)} (sourceline.models.answerTimeout).${partial}`;
  }

  private notCompatible(contentType: string, raw: string): Attempt {
    const sample = redact(raw.replace(/\s+/g, ' ').trim().slice(0, 120), this.config.apiKey);
    const type = contentType === '' ? 'no content type' : contentType.split(';')[0] ?? contentType;
    return {
      kind: 'done',
      result: {
        status: 'error',
        retryable: false,
        message: `${this.label} answered with something that is not an OpenAI-compatible response (${type}: "${sample}"). Check that the base URL is the API's (it ends in /v1 for most servers), not a web page.`,
      },
    };
  }

  private async failure(response: Response): Promise<Attempt> {
    const detail = redact((await response.text().catch(() => '')).slice(0, 300), this.config.apiKey);
    const status = response.status;
    if (status === 429 || status >= 500) {
      return { kind: 'retry', message: `${this.label} answered ${status}${status === 429 ? ' (rate limited)' : ''}`, afterMs: retryAfterMs(response.headers.get('retry-after')) };
    }
    if (status === 401 || status === 403) {
      return {
        kind: 'done',
        result: { status: 'error', retryable: false, message: `${this.label} rejected the API key (${status}). Set SOURCELINE_API_KEY for the CLI, or run "Sourceline: Set API Key" in VS Code.` },
      };
    }
    if (status === 404) {
      return {
        kind: 'done',
        result: { status: 'error', retryable: false, message: `${this.label}: no such model or endpoint (404). Check the base URL (it should end in /v1 for most servers) and the model id.` },
      };
    }
    return { kind: 'done', result: { status: 'error', retryable: false, message: `${this.label} answered ${status}: ${detail}` } };
  }
}
