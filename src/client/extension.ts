import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IndexStateNotification } from '../shared/protocol';
import { needsRestart } from '../shared/settings';
import { registerAgentTools } from './agentTools';
import { registerPreviews } from './apply';
import { AnswerStreams } from './answerStreams';
import { ChatView } from './chatView';
import { registerParticipant } from './participant';
import { LM_TOOLS_PROBE_ENV, runLmToolsProbe } from './e2eProbe';
import { startClient } from './client';
import { registerCommands } from './commands';
import { affectsSourceline, readSettings } from './config';
import { createHoverProvider } from './hover';
import { log, showError } from './log';
import { connectModels, readKeys } from './models';
import { createStatusBar } from './statusBar';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  try {
    const status = createStatusBar();
    context.subscriptions.push(status.item);
    const launched = await startClient(context, await readKeys(context.secrets));
    const started = launched.client;
    client = started;
    context.subscriptions.push(started.onNotification(IndexStateNotification, status.update));
    const streams = new AnswerStreams(started);
    context.subscriptions.push(streams);
    const chat = new ChatView(context, streams);
    context.subscriptions.push(vscode.window.registerWebviewViewProvider(ChatView.viewId, chat, { webviewOptions: { retainContextWhenHidden: false } }));
    registerCommands({ extension: context, client: started, chat });
    context.subscriptions.push(...registerAgentTools(started), registerPreviews(), registerParticipant(context, started, streams));
    const probe = process.env[LM_TOOLS_PROBE_ENV];
    if (probe !== undefined && probe !== '') void runLmToolsProbe(started, probe).catch((error: unknown) => log().error(`language-model tools probe failed: ${String(error)}`));
    const models = connectModels(context, launched, (params) => chat.setModels(params));
    await models.refresh();
    // A restart starts a fresh server: it needs the models again.
    context.subscriptions.push(started.onDidChangeState(() => void (started.isRunning() ? models.refresh() : undefined)));
    let settings = readSettings();
    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration(async (event) => {
        if (!affectsSourceline(event)) return;
        const next = readSettings();
        const restart = needsRestart(settings, next);
        settings = next;
        await models.refresh();
        if (!restart) return;
        const choice = await vscode.window.showInformationMessage('Sourceline: this setting applies after the server restarts.', 'Restart Now');
        if (choice === 'Restart Now') await started.restart();
      }),
      // The index covers the window's folders together: a folder added or removed means a new index.
      vscode.workspace.onDidChangeWorkspaceFolders(async () => {
        log().info('workspace folders changed: restarting the server for the new set of folders');
        await started.restart();
      }),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, createHoverProvider(started)),
    );
    log().info('Sourceline started');
  } catch (error) {
    showError(`could not start: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
