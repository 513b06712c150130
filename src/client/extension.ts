import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IndexStateNotification } from '../shared/protocol';
import { startClient } from './client';
import { registerCommands } from './commands';
import { affectsSourceline, readSettings } from './config';
import { needsRestart } from '../shared/settings';
import { createHoverProvider } from './hover';
import { log, showError } from './log';
import { createStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  try {
    const status = createStatusBar();
    context.subscriptions.push(status.item);
    client = await startClient(context);
    context.subscriptions.push(client.onNotification(IndexStateNotification, status.update));
    registerCommands(context, client);
    let settings = readSettings();
    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration(async (event) => {
        if (!affectsSourceline(event)) return;
        const next = readSettings();
        const restart = needsRestart(settings, next);
        settings = next;
        if (!restart || client === undefined) return;
        const choice = await vscode.window.showInformationMessage('Sourceline: this setting applies after the server restarts.', 'Restart Now');
        if (choice === 'Restart Now') await client.restart();
      }),
    );
    context.subscriptions.push(vscode.languages.registerHoverProvider({ scheme: 'file' }, createHoverProvider(client)));
    log().info('Sourceline started');
  } catch (error) {
    showError(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
