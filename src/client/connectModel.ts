import * as vscode from 'vscode';
import { SECRET_KEYS } from './models';

/**
 * Sourceline: Connect a Model…: pick a local server (Ollama, LM Studio, llama.cpp, vLLM), OpenAI or
 * any OpenAI-compatible URL; its models are listed from `GET /models` when it answers (else the id is
 * typed); a remote endpoint asks for its API key (SecretStorage). Writes the knowledge-model settings.
 */

interface Preset extends vscode.QuickPickItem {
  readonly baseUrl: string;
  readonly needsKey: boolean;
}

const PRESETS: readonly Preset[] = [
  { label: 'Ollama', description: 'http://localhost:11434/v1', baseUrl: 'http://localhost:11434/v1', needsKey: false },
  { label: 'LM Studio', description: 'http://localhost:1234/v1', baseUrl: 'http://localhost:1234/v1', needsKey: false },
  { label: 'llama.cpp server', description: 'http://localhost:8080/v1', baseUrl: 'http://localhost:8080/v1', needsKey: false },
  { label: 'vLLM', description: 'http://localhost:8000/v1', baseUrl: 'http://localhost:8000/v1', needsKey: false },
  { label: 'OpenAI', description: 'https://api.openai.com/v1 (code is sent to OpenAI)', baseUrl: 'https://api.openai.com/v1', needsKey: true },
  { label: 'Another OpenAI-compatible endpoint…', description: 'type its base URL', baseUrl: '', needsKey: false },
];

const PROBE_MS = 3000;

/** The model ids an endpoint lists at `GET {base}/models`, or why it could not be asked. */
export async function listModels(baseUrl: string, apiKey: string | undefined): Promise<{ ids: string[] } | { error: string }> {
  try {
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}/models`);
    const response = await fetch(url, { headers: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(PROBE_MS) });
    if (!response.ok) return { error: `${url.host} answered ${response.status} to GET /models` };
    const body: unknown = await response.json();
    const data = typeof body === 'object' && body !== null && 'data' in body && Array.isArray(body.data) ? body.data : [];
    const ids = data.flatMap((m: unknown) => (typeof m === 'object' && m !== null && 'id' in m && typeof m.id === 'string' ? [m.id] : []));
    return ids.length === 0 ? { error: `${url.host} lists no models` } : { ids };
  } catch (error) {
    return { error: error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error) };
  }
}

function validUrl(text: string): string | undefined {
  try {
    const u = new URL(text.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'An http:// or https:// URL, such as http://localhost:11434/v1';
  } catch {
    return 'An http:// or https:// URL, such as http://localhost:11434/v1';
  }
}

export async function connectModel(secrets: vscode.SecretStorage): Promise<boolean> {
  const preset = await vscode.window.showQuickPick(PRESETS, { title: 'Sourceline: Connect a Model (1/2)', placeHolder: 'Where does the model run? Local servers keep your code on this machine.' });
  if (preset === undefined) return false;
  const baseUrl = preset.baseUrl !== ''
    ? preset.baseUrl
    : (await vscode.window.showInputBox({ title: 'Sourceline: Connect a Model', prompt: 'Base URL of an OpenAI-compatible API (usually ends in /v1)', placeHolder: 'http://localhost:11434/v1', validateInput: validUrl, ignoreFocusOut: true }))?.trim();
  if (baseUrl === undefined || baseUrl === '') return false;
  let apiKey: string | undefined;
  if (preset.needsKey) {
    apiKey = (await vscode.window.showInputBox({ title: 'Sourceline: Connect a Model', prompt: `API key for ${new URL(baseUrl).host} (kept in VS Code's secret storage)`, password: true, ignoreFocusOut: true }))?.trim();
    if (apiKey === undefined || apiKey === '') return false;
  }
  const listed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sourceline: asking ${new URL(baseUrl).host} for its models…` }, () => listModels(baseUrl, apiKey));
  let model: string | undefined;
  if ('ids' in listed) {
    model = (await vscode.window.showQuickPick(listed.ids, { title: 'Sourceline: Connect a Model (2/2)', placeHolder: `Models at ${new URL(baseUrl).host}: pick the one that answers questions` }));
  } else {
    model = (await vscode.window.showInputBox({
      title: 'Sourceline: Connect a Model (2/2)',
      prompt: `Its models could not be listed (${listed.error}). Type the model id to use anyway (it is tried at the first question).`,
      placeHolder: 'llama3.1, qwen2.5-coder, gpt-4o-mini', ignoreFocusOut: true,
    }))?.trim();
  }
  if (model === undefined || model === '') return false;
  const config = vscode.workspace.getConfiguration('sourceline');
  if (apiKey !== undefined) await secrets.store(SECRET_KEYS.knowledge, apiKey);
  await config.update('models.knowledge.baseUrl', baseUrl, vscode.ConfigurationTarget.Global);
  await config.update('models.knowledge.model', model, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Sourceline: questions are now answered by ${model} at ${new URL(baseUrl).host}, with sources from this codebase.`);
  return true;
}

/** "Use the editor's model": on, if the editor offers one (e.g. GitHub Copilot); else says what to do instead. */
export async function useEditorModel(): Promise<boolean> {
  const models = await vscode.lm.selectChatModels().then((m) => m, () => []);
  const config = vscode.workspace.getConfiguration('sourceline');
  if (models.length === 0) {
    const choice = await vscode.window.showWarningMessage('Sourceline: the editor offers no chat model (an extension such as GitHub Copilot Chat provides one). Connect Ollama or another endpoint instead?', 'Connect a Model…');
    if (choice === 'Connect a Model…') await vscode.commands.executeCommand('sourceline.connectModel');
    return false;
  }
  await config.update('models.knowledge.useEditorModel', true, vscode.ConfigurationTarget.Global);
  await config.update('models.knowledge.baseUrl', undefined, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(`Sourceline: questions are now answered by the editor's ${models[0]?.name ?? 'chat model'}, with sources from this codebase.`);
  return true;
}
