import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { endpointOf, type ModelRole } from '../shared/settings';
import { EditorChatDeltaNotification, EditorChatRequest, ModelsNotification } from '../shared/protocol';
import type { EditorChatParams, EditorChatResult, ModelsParams } from '../shared/types';
import type { ApiKeys, Started } from './client';
import { readSettings } from './config';
import { log } from './log';

/** API keys live in SecretStorage only: never in settings, logs or messages. */
export const SECRET_KEYS: Readonly<Record<ModelRole, string>> = { knowledge: 'sourceline.apiKey.knowledge', houseStyle: 'sourceline.apiKey.houseStyle' };

async function editorModel(id?: string): Promise<vscode.LanguageModelChat | undefined> {
  try {
    const models = await vscode.lm.selectChatModels(id === undefined ? undefined : { id });
    return models[0];
  } catch {
    return undefined;
  }
}

/** A role's model in a few words ("llama3.1 at localhost:11434", "copilot/gpt-4o (the editor's model)"), or null for none. */
export function describeModel(m: ModelsParams['knowledge']): string | null {
  if (m === null) return null;
  return m.type === 'openai' ? `${m.model} at ${hostOf(m.baseUrl)}` : `${m.model} (the editor's model)`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The stored API keys, per role. */
export async function readKeys(secrets: vscode.SecretStorage): Promise<ApiKeys> {
  const get = async (role: ModelRole): Promise<string | undefined> => {
    const value = await secrets.get(SECRET_KEYS[role]);
    return value === undefined || value === '' ? undefined : value;
  };
  return { knowledge: await get('knowledge'), houseStyle: await get('houseStyle') };
}

/** What the server should answer with, from settings, trust and the editor's models (keys travel apart: client.ts). */
export async function currentModels(): Promise<ModelsParams> {
  if (!vscode.workspace.isTrusted) {
    return { knowledge: null, houseStyle: null, withheld: 'this workspace is not trusted, so no code is sent to a model (trust it to use the configured models)' };
  }
  const s = readSettings();
  const knowledgeEndpoint = endpointOf(s.knowledgeBaseUrl, s.knowledgeModel);
  const styleEndpoint = endpointOf(s.houseStyleBaseUrl, s.houseStyleModel);
  let knowledge: ModelsParams['knowledge'] = null;
  const deadlineMs = s.answerTimeout * 1000;
  if (knowledgeEndpoint !== null) knowledge = { type: 'openai', ...knowledgeEndpoint, deadlineMs };
  else if (s.useEditorModel) {
    const model = await editorModel();
    if (model !== undefined) knowledge = { type: 'vscodeLm', model: `${model.vendor}/${model.family}` };
  }
  const houseStyle: ModelsParams['houseStyle'] = styleEndpoint === null ? null : { type: 'openai', ...styleEndpoint, deadlineMs };
  return { knowledge, houseStyle, withheld: null };
}

/** Runs the server's prompt on the editor's chat model, streaming pieces back (the vscode.lm bridge). */
async function runEditorChat(client: LanguageClient, params: EditorChatParams, token: vscode.CancellationToken): Promise<EditorChatResult> {
  const model = await editorModel(params.modelId);
  if (model === undefined) return { status: 'error', message: 'No chat model is available in the editor any more.' };
  // The Language Model API has no system role: instructions go first, as a user message.
  const messages = params.messages.map((m) => (m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.content)));
  try {
    const response = await model.sendRequest(messages, { justification: 'Sourceline answers questions about this codebase from its indexed sources.' }, token);
    let text = '';
    for await (const piece of response.text) {
      text += piece;
      void client.sendNotification(EditorChatDeltaNotification, { id: params.streamId, text: piece });
    }
    return { status: 'ok', text, model: `${model.vendor}/${model.family}` };
  } catch (error) {
    if (token.isCancellationRequested) return { status: 'cancelled' };
    const message = error instanceof vscode.LanguageModelError ? `${model.name}: ${error.message} (${error.code})` : `${model.name} failed: ${error instanceof Error ? error.message : String(error)}`;
    return { status: 'error', message };
  }
}

/**
 * Keeps the server's models current: at start, and whenever settings, keys, workspace trust or the
 * editor's chat models change. Also serves the server's requests to run the editor's model.
 */
export function connectModels(context: vscode.ExtensionContext, started: Started, onChange: (params: ModelsParams) => void): { refresh: () => Promise<void> } {
  const { client } = started;
  const refresh = async (): Promise<void> => {
    const params = await currentModels();
    onChange(params);
    await client.sendNotification(ModelsNotification, params);
    log().info(`models: knowledge ${describeModel(params.knowledge) ?? 'none'}, house style ${describeModel(params.houseStyle) ?? 'none'}${params.withheld === null ? '' : ' (withheld: untrusted workspace)'}`);
  };
  context.subscriptions.push(
    client.onRequest(EditorChatRequest, (params, token) => runEditorChat(client, params, token)),
    // A new key restarts the server with it in its environment; the restart sends the models again.
    context.secrets.onDidChange(async () => started.setKeys(await readKeys(context.secrets))),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void refresh()),
    vscode.lm.onDidChangeChatModels(() => void refresh()),
  );
  return { refresh };
}

/** Sourceline: Set API Key…: stored in SecretStorage for one role; empty input removes it. */
export async function setApiKey(secrets: vscode.SecretStorage): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Knowledge model', description: 'answers questions, with retrieved sources', role: 'knowledge' as const },
      { label: 'House-style model', description: 'the fine-tuned model for docstrings and commit messages', role: 'houseStyle' as const },
    ],
    { placeHolder: 'Which model is the key for?' },
  );
  if (picked === undefined) return;
  const value = await vscode.window.showInputBox({ prompt: `API key for the ${picked.label.toLowerCase()} (stored in VS Code's secret storage; leave empty to remove)`, password: true, ignoreFocusOut: true });
  if (value === undefined) return;
  if (value.trim() === '') await secrets.delete(SECRET_KEYS[picked.role]);
  else await secrets.store(SECRET_KEYS[picked.role], value.trim());
  void vscode.window.showInformationMessage(`Sourceline: API key for the ${picked.label.toLowerCase()} ${value.trim() === '' ? 'removed' : 'saved'}.`);
}
