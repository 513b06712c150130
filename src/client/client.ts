import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { InitializationOptions } from '../shared/protocol';
import { log } from './log';
import { readSettings } from './config';

/** Starts the language server (dist/server.js) that hosts the engine. */
export async function startClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
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
  return client;
}
