import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AnswerDeltaNotification } from '../shared/protocol';
import type { AnswerWire, EarlierTurnWire } from '../shared/types';
import { isFromWebview, parseTurns, type FromWebview, type ToWebview, type Turn } from '../shared/webviewProtocol';
import { applyAnswer } from './apply';
import { applyLabel } from './answerText';
import { openRange } from './openRange';
import { log } from './log';

const HISTORY_KEY = 'sourceline.chat.turns';
/** Earlier turns sent with a question, so a follow-up is understood (the server takes the last few within a token budget). */
const EARLIER_TURNS = 4;
/** Older turns are dropped from storage: a conversation is a working set, not an archive. */
const MAX_TURNS = 50;

/** Sends the request for one turn; resolves with the answer (or rejects with a message for the user). */
export type TurnRequest = (id: string, token: vscode.CancellationToken) => Promise<AnswerWire>;

/**
 * The side-panel chat: a webview view that shows the conversation. The conversation lives here (in
 * workspaceState, so it survives a window reload); the webview only renders it.
 */
export class ChatView implements vscode.WebviewViewProvider {
  static readonly viewId = 'sourceline.chat';
  private view: vscode.WebviewView | undefined;
  private turns: Turn[];
  private focusWhenReady = false;
  private running: { id: string; cancel: vscode.CancellationTokenSource } | null = null;
  private counter = 0;

  constructor(private readonly context: vscode.ExtensionContext, client: LanguageClient) {
    this.turns = parseTurns(context.workspaceState.get<unknown>(HISTORY_KEY));
    context.subscriptions.push(client.onNotification(AnswerDeltaNotification, (p) => this.onDelta(p.id, p.text)));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = this.html(view.webview, dist, media);
    view.webview.onDidReceiveMessage((message: unknown) => {
      if (!isFromWebview(message)) {
        log().warn('the chat panel sent a message it should not have; ignored');
        return;
      }
      void this.dispatch(message).catch((error: unknown) => log().error(`chat: ${error instanceof Error ? error.message : String(error)}`));
    });
    view.onDidDispose(() => {
      this.view = undefined;
    });
  }

  /** Runs one turn: shows the panel, streams the answer into it, stores the result. */
  /** Shows the panel with the keyboard in its question box (a panel still loading takes it when ready). */
  async focusComposer(): Promise<void> {
    if (this.view === undefined) {
      // The focus command creates and focuses the view; its page takes the keyboard once loaded.
      this.focusWhenReady = true;
      await this.reveal();
    } else {
      this.view.show(false);
    }
    this.post({ type: 'focusComposer' });
  }

  /** The conversation so far, for a follow-up: questions and answers of the panel's asked turns (not drafts). */
  earlierTurns(): EarlierTurnWire[] {
    return this.turns.flatMap((t): EarlierTurnWire[] => {
      const a = t.answer;
      if (a === null || a.kind.type !== 'ask') return [];
      return [{ question: t.question, answer: a.answer, sources: [...new Set(a.citations.map((c) => c.path))] }];
    }).slice(-EARLIER_TURNS);
  }

  async run(question: string, request: TurnRequest): Promise<void> {
    if (this.running !== null) this.stop();
    await this.reveal();
    const id = `${Date.now().toString(36)}-${++this.counter}`;
    const cancel = new vscode.CancellationTokenSource();
    this.running = { id, cancel };
    const started: Turn = { id, question, streamed: '', answer: null, error: null, applyLabel: null };
    this.upsert(started);
    this.post({ type: 'turnStarted', turn: started });
    let outcome: Pick<Turn, 'answer' | 'error' | 'applyLabel'>;
    try {
      const answer = await request(id, cancel.token);
      outcome = { answer, error: null, applyLabel: applyLabel(answer.kind, answer.route.role) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = { answer: null, error: cancel.token.isCancellationRequested ? 'Stopped.' : message, applyLabel: null };
    } finally {
      cancel.dispose();
      if (this.running?.id === id) this.running = null;
    }
    // New Chat while this was running: the turn is gone, and stays gone.
    const current = this.turns.find((t) => t.id === id);
    if (current === undefined) return;
    const done: Turn = { ...current, ...outcome };
    this.upsert(done);
    this.post({ type: 'turnDone', turn: done });
    await this.save();
  }

  stop(): void {
    this.running?.cancel.cancel();
  }

  private async dispatch(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'history', turns: this.turns, busy: this.running !== null });
        if (this.focusWhenReady) this.post({ type: 'focusComposer' });
        this.focusWhenReady = false;
        return;
      case 'ask':
        await vscode.commands.executeCommand('sourceline.ask', message.question);
        return;
      case 'stop':
        this.stop();
        return;
      case 'newChat':
        this.stop();
        this.turns = [];
        await this.save();
        this.post({ type: 'history', turns: [], busy: false });
        return;
      case 'open':
        await openRange(message.file, message.startLine, message.endLine);
        return;
      case 'copy': {
        const answer = this.turns.find((t) => t.id === message.id)?.answer;
        if (answer !== undefined && answer !== null) {
          await vscode.env.clipboard.writeText(answer.answer);
          void vscode.window.setStatusBarMessage('Sourceline: answer copied', 2000);
        }
        return;
      }
      case 'apply': {
        const answer = this.turns.find((t) => t.id === message.id)?.answer;
        if (answer !== undefined && answer !== null) await applyAnswer(answer);
        return;
      }
      case 'configureModels':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'sourceline.models');
        return;
      case 'retry': {
        const question = this.turns.find((t) => t.id === message.id)?.question;
        if (question !== undefined) await vscode.commands.executeCommand('sourceline.ask', question);
        return;
      }
    }
  }

  private onDelta(id: string, text: string): void {
    const turn = this.turns.find((t) => t.id === id);
    if (turn === undefined) return;
    this.upsert({ ...turn, streamed: turn.streamed + text });
    this.post({ type: 'delta', id, text });
  }

  private upsert(turn: Turn): void {
    const i = this.turns.findIndex((t) => t.id === turn.id);
    if (i >= 0) this.turns[i] = turn;
    else this.turns = [...this.turns, turn].slice(-MAX_TURNS);
  }

  private async save(): Promise<void> {
    await this.context.workspaceState.update(HISTORY_KEY, this.turns.filter((t) => t.answer !== null || t.error !== null));
  }

  private post(message: ToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  private async reveal(): Promise<void> {
    if (this.view === undefined) await vscode.commands.executeCommand(`${ChatView.viewId}.focus`);
    else this.view.show(true);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css'));
    // Strict CSP: our script by nonce, our stylesheet, nothing remote, no inline anything.
    const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource}; font-src ${webview.cspSource};`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Sourceline</title>
</head>
<body>
<header class="toolbar"><button id="new-chat" type="button" title="Start a new conversation">New Chat</button></header>
<main id="log" role="log" aria-label="Conversation"></main>
<div id="empty" class="empty">Ask about this codebase. Every answer cites the lines it comes from; click a citation to open it.</div>
<form id="ask" class="composer">
<label for="question" class="visually-hidden">Question</label>
<textarea id="question" rows="3" placeholder="Ask about the codebase (Enter to send, Shift+Enter for a new line)"></textarea>
<div class="composer-buttons"><button id="send" type="submit">Ask</button><button id="stop" type="button" hidden>Stop</button></div>
</form>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}
