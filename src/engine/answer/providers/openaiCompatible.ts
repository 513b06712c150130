import { isRecord } from '../../../shared/guards';
import type { ChatProvider, ChatRequest, ProviderResult } from '../types';

export interface OpenAICompatibleConfig {
  /** `http://localhost:11434/v1` (Ollama), `https://api.openai.com/v1`, or an Azure deployment URL with `?api-version=…`. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Longest wait for the response to start, and between two streamed pieces. */
  readonly timeoutMs?: number;
  /** Further attempts after a 429, a 5xx or a network error, before anything was streamed. */
  readonly retries?: number;
  readonly temperature?: number;
  /** For tests: shorter backoff. */
  readonly backoffBaseMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_RETRY_AFTER_MS = 20_000;

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
  | { readonly kind: 'retry'; readonly message: string; readonly afterMs: number | null };

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

/** The text of one SSE `data:` payload's first choice delta (or message, for non-streaming servers). */
export function deltaText(payload: unknown): string {
  if (!isRecord(payload) || !Array.isArray(payload['choices'])) return '';
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

  constructor(private readonly config: OpenAICompatibleConfig) {
    this.model = config.model;
    this.label = `${config.model} at ${new URL(config.baseUrl).host}`;
  }

  async chat(request: ChatRequest): Promise<ProviderResult> {
    const attempts = 1 + (this.config.retries ?? 3);
    let last = 'no attempt made';
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (request.signal?.aborted === true) return { status: 'cancelled' };
      const outcome = await this.attempt(request);
      if (outcome.kind === 'done') return outcome.result;
      last = outcome.message;
      if (attempt + 1 < attempts) {
        const backoff = (this.config.backoffBaseMs ?? 500) * 2 ** attempt;
        await sleep(outcome.afterMs ?? backoff, request.signal);
      }
    }
    return { status: 'error', message: `${last} (gave up after ${attempts} attempts)`, retryable: true };
  }

  private async attempt(request: ChatRequest): Promise<Attempt> {
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
    const timeoutMs = this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    let timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const rearm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
    };
    let text = '';
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
      if (!response.ok) return this.failure(response);
      if (response.body === null) return { kind: 'done', result: { status: 'error', message: `${this.label} sent an empty response.`, retryable: false } };
      const isStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
      if (!isStream) {
        const json: unknown = await response.json();
        text = deltaText(json);
        if (text !== '') request.onDelta?.(text);
        return { kind: 'done', result: { status: 'ok', text, model } };
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let finished = false;
      while (!finished) {
        const { value, done } = await reader.read();
        if (done) break;
        rearm();
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
      if (!finished) {
        return { kind: 'done', result: { status: 'error', message: `${this.label} closed the stream before the answer was complete.`, retryable: false } };
      }
      return { kind: 'done', result: { status: 'ok', text, model } };
    } catch (error) {
      if (request.signal?.aborted === true) return { kind: 'done', result: { status: 'cancelled' } };
      if (timedOut) {
        const message = `${this.label} did not respond within ${Math.round(timeoutMs / 1000)} s.`;
        // Once text has streamed, a retry would repeat it: report instead.
        return text === '' ? { kind: 'retry', message, afterMs: null } : { kind: 'done', result: { status: 'error', message, retryable: false } };
      }
      if (text !== '') {
        return { kind: 'done', result: { status: 'error', message: `${this.label} closed the stream before the answer was complete.`, retryable: false } };
      }
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return { kind: 'retry', message: redact(`${this.label} could not be reached (${reason}).`, apiKey), afterMs: null };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
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
