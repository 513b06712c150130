import type { Connection } from 'vscode-languageserver/node';
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { OpenAICompatibleProvider } from '../engine/answer/providers/openaiCompatible';
import type { ChatProvider, ChatRequest, ProviderResult } from '../engine/answer/types';
import { describe } from '../shared/errors';
import { isRecord } from '../shared/guards';
import { API_KEY_ENV, type ModelRole } from '../shared/settings';
import { EditorChatDeltaNotification, EditorChatRequest } from '../shared/protocol';
import type { EditorModelWire, EndpointWire } from '../shared/types';

/** The providers that answer, per role, as the client last configured them. */
export interface Models {
  readonly knowledge: ChatProvider | null;
  readonly houseStyle: ChatProvider | null;
  /** Set when the client withholds models (an untrusted workspace): answers say so. */
  readonly withheld: string | null;
}

export const NO_MODELS: Models = { knowledge: null, houseStyle: null, withheld: null };

/**
 * The editor's chat models (vscode.lm, e.g. Copilot) as providers: the client runs each request,
 * because only the extension host can; pieces come back as notifications, stop cancels the request.
 */
export class EditorModels {
  private readonly listeners = new Map<string, (text: string) => void>();
  private streams = 0;

  constructor(private readonly connection: Connection) {
    connection.onNotification(EditorChatDeltaNotification, (p) => this.listeners.get(p.id)?.(p.text));
  }

  /** `id`: one model of the editor's by its vscode.lm id (else the first the editor offers). */
  provider(model: string, id?: string): ChatProvider {
    const label = `${model} (the editor's language model)`;
    return { model, label, chat: (request) => this.chat(label, model, request, id) };
  }

  private async chat(label: string, model: string, request: ChatRequest, modelId: string | undefined): Promise<ProviderResult> {
    const streamId = `editor-${++this.streams}`;
    const source = new CancellationTokenSource();
    const onAbort = (): void => source.cancel();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    this.listeners.set(streamId, (text) => request.onDelta?.(text));
    try {
      const result: unknown = await this.connection.sendRequest(EditorChatRequest, { streamId, messages: request.messages, ...(modelId === undefined ? {} : { modelId }) }, source.token);
      if (request.signal?.aborted === true) return { status: 'cancelled' };
      if (!isRecord(result)) return { status: 'error', message: `${label} gave no answer.`, retryable: false };
      if (result['status'] === 'ok' && typeof result['text'] === 'string') return { status: 'ok', text: result['text'], model: typeof result['model'] === 'string' ? result['model'] : model };
      if (result['status'] === 'cancelled') return { status: 'cancelled' };
      return { status: 'error', message: typeof result['message'] === 'string' ? result['message'] : `${label} failed.`, retryable: false };
    } catch (error) {
      if (request.signal?.aborted === true) return { status: 'cancelled' };
      return { status: 'error', message: `${label} failed: ${describe(error)}`, retryable: false };
    } finally {
      this.listeners.delete(streamId);
      request.signal?.removeEventListener('abort', onAbort);
      source.dispose();
    }
  }
}

function endpoint(e: EndpointWire, role: ModelRole): ChatProvider {
  const apiKey = process.env[API_KEY_ENV[role]];
  return new OpenAICompatibleProvider({ baseUrl: e.baseUrl, model: e.model, deadlineMs: e.deadlineMs, ...(apiKey === undefined || apiKey === '' ? {} : { apiKey }) });
}

function isEndpoint(v: unknown): v is EndpointWire {
  return isRecord(v) && v['type'] === 'openai' && typeof v['baseUrl'] === 'string' && typeof v['model'] === 'string' && typeof v['deadlineMs'] === 'number';
}

function isEditorModel(v: unknown): v is EditorModelWire {
  return isRecord(v) && v['type'] === 'vscodeLm' && typeof v['model'] === 'string';
}

/**
 * The providers for what the client sent (checked: it crosses a process boundary). A malformed
 * role is dropped with a log line rather than failing every later question.
 */
export function modelsFrom(params: unknown, editor: EditorModels, warn: (message: string) => void): Models {
  if (!isRecord(params)) return NO_MODELS;
  const k: unknown = params['knowledge'];
  const h: unknown = params['houseStyle'];
  const withheld = typeof params['withheld'] === 'string' ? params['withheld'] : null;
  let knowledge: ChatProvider | null = null;
  try {
    if (isEndpoint(k)) knowledge = endpoint(k, 'knowledge');
    else if (isEditorModel(k)) knowledge = editor.provider(k.model);
  } catch (error) {
    warn(`the knowledge model setting is not usable: ${describe(error)}`);
  }
  let houseStyle: ChatProvider | null = null;
  try {
    if (isEndpoint(h)) houseStyle = endpoint(h, 'houseStyle');
  } catch (error) {
    warn(`the house-style model setting is not usable: ${describe(error)}`);
  }
  return { knowledge, houseStyle, withheld };
}

