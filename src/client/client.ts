import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../shared/protocol';
import { log } from './log';
import { readSettings } from './config';
import { API_KEY_ENV, type ModelRole } from '../shared/settings';
import { MALLOC_TUNING } from '../shared/mallocTuning';

export interface Started {
  readonly client: LanguageClient;
  /** Hands the server new API keys: through its environment, so a restart (never a message, which a protocol trace would log). */
  setKeys(keys: ApiKeys): Promise<void>;
}

export type ApiKeys = Readonly<Record<ModelRole, string | undefined>>;


/** Starts the language server (dist/server.js) that hosts the engine, with the API keys in its environment. */
export async function startClient(context: vscode.ExtensionContext, keys: ApiKeys): Promise<Started> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  // Read at every (re)start of the server process: setKeys changes it, then restarts.
  const env: Record<string, string | undefined> = { ...process.env, ...MALLOC_TUNING };
  const applyKeys = (k: ApiKeys): boolean => {
    let changed = false;
    for (const role of ['knowledge', 'houseStyle'] as const) {
      const variable = API_KEY_ENV[role];
      // '' when there is none (the server reads '' as no key): a user's own shell variable must not leak in either.
      const value = k[role] ?? '';
      if (env[variable] !== value) changed = true;
      env[variable] = value;
    }
    return changed;
  };
  applyKeys(keys);
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { env } },
    debug: { module, transport: TransportKind.ipc, options: { env } },
  };
  // The index lives in the extension's storage, never in the user's repository. Settings are read
  // at each (re)start, so a restart applies what changed.
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const initializationOptions = (): InitializationOptions => {
    const settings = readSettings();
    return { storagePath: storage, maxFileBytes: settings.maxFileSize, embeddingModel: settings.embeddingModel, exclude: settings.exclude, include: settings.include };
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
    initializationOptions,
    outputChannel: log(),
  };
  const client = new LanguageClient('sourceline', 'Sourceline', serverOptions, clientOptions);
  await client.start();
  return {
    client,
    setKeys: async (next) => {
      if (applyKeys(next)) await client.restart();
    },
  };
}
