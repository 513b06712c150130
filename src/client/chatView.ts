import * as vscode from 'vscode';
import type { AnswerStreams } from './answerStreams';
import type { AnswerWire, EarlierTurnWire, ModelsParams } from '../shared/types';
import { isFromWebview, type ModelStateWire, type FromWebview, type ToWebview, type Turn } from '../shared/webviewProtocol';
import { applyAnswer } from './apply';
import { applyLabel, turnTitle } from './answerText';
import { openRange } from './openRange';
import { log } from './log';
import * as conv from './conversations';
import { insertAtCursor } from './insertCode';
import { connectModel, useEditorModel } from './connectModel';
import { pickConversation } from './chatHistory';
import { chatPage } from './chatPage';
import { describeModel } from './models';

const SOURCES_ONLY_KEY = 'sourceline.chat.sourcesOnlyChosen';

/** Where 0.1 kept its one conversation (read once, to carry it over). */
const LEGACY_TURNS_KEY = 'sourceline.chat.turns';
const CONVERSATIONS_KEY = 'sourceline.chat.conversations';
/** Earlier turns sent with a question, so a follow-up is understood (the server takes the last few within a token budget). */
const EARLIER_TURNS = 4;

/** Sends the request for one turn; resolves with the answer (or rejects with a message for the user). */
export type TurnRequest = (id: string, token: vscode.CancellationToken) => Promise<AnswerWire>;

/**
 * The side-panel chat: a webview view that shows the current conversation. The conversations live
 * here (in workspaceState, so they survive a window reload; New Chat keeps the old one in the
 * history); the webview only renders the current one.
 */
export class ChatView implements vscode.WebviewViewProvider {
  static readonly viewId = 'sourceline.chat';
  private view: vscode.WebviewView | undefined;
  private state: conv.ConversationsState;
  private focusWhenReady = false;
  private running: { id: string; cancel: vscode.CancellationTokenSource } | null = null;
  private counter = 0;
  private readonly retries = new Map<string, () => Promise<void>>();
  private models: ModelStateWire = { answering: null, houseStyle: null, withheld: null, sourcesOnlyChosen: false };

  constructor(private readonly context: vscode.ExtensionContext, private readonly streams: AnswerStreams) {
    this.state = conv.parseState(context.workspaceState.get<unknown>(CONVERSATIONS_KEY), context.workspaceState.get<unknown>(LEGACY_TURNS_KEY), () => this.newId(), Date.now());
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    view.webview.html = chatPage(view.webview, dist, media, vscode.workspace.name);
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

  /** The models the server was given (from settings, keys, trust and the editor's models). */
  setModels(params: ModelsParams): void {
    this.models = { answering: describeModel(params.knowledge), houseStyle: describeModel(params.houseStyle), withheld: params.withheld, sourcesOnlyChosen: this.context.globalState.get<boolean>(SOURCES_ONLY_KEY) === true };
    this.post({ type: 'models', state: this.models });
  }

  /** Who answers questions, in a few words (the index status says it too). */
  answeringSummary(): string {
    if (this.models.withheld !== null) return 'sources only (untrusted workspace)';
    return this.models.answering ?? 'sources only (no model set up)';
  }

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
    return this.turns().flatMap((t): EarlierTurnWire[] => {
      const a = t.answer;
      if (a === null || a.kind.type !== 'ask') return [];
      return [{ question: t.question, answer: a.answer, sources: [...new Set(a.citations.map((c) => c.path))] }];
    }).slice(-EARLIER_TURNS);
  }

  /** Runs one turn: shows the panel, streams the answer into it, stores the result. */
  async run(question: string, request: TurnRequest): Promise<void> {
    if (this.running !== null) this.stop();
    await this.reveal();
    const id = this.newId();
    const cancel = new vscode.CancellationTokenSource();
    this.running = { id, cancel };
    const started: Turn = { id, question, streamed: '', answer: null, error: null, applyLabel: null };
    this.upsert(started);
    this.post({ type: 'turnStarted', turn: started, title: conv.current(this.state).title });
    let outcome: Pick<Turn, 'answer' | 'error' | 'applyLabel'> & { question?: string };
    const listening = this.streams.listen(id, {
      onDelta: (text) => this.onDelta(id, text),
      onSources: (sources) => {
        if (this.turns().some((t) => t.id === id)) this.post({ type: 'sources', id, sources });
      },
    });
    // Retry runs the same request again (a docstring draft too), while the window lives.
    this.retries.set(id, () => this.run(question, request));
    for (const old of [...this.retries.keys()].slice(0, Math.max(0, this.retries.size - conv.MAX_TURNS))) this.retries.delete(old);
    try {
      const answer = await request(id, cancel.token);
      outcome = { answer, error: null, applyLabel: applyLabel(answer.kind, answer.route.role), question: turnTitle(question, answer) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = { answer: null, error: cancel.token.isCancellationRequested ? 'Stopped.' : message, applyLabel: null };
    } finally {
      listening.dispose();
      cancel.dispose();
      if (this.running?.id === id) this.running = null;
    }
    // New Chat (or another conversation opened) while this was running: the turn is gone, and stays gone.
    const current = this.turns().find((t) => t.id === id);
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
        this.post({ type: 'models', state: this.models });
        this.showCurrent();
        if (this.focusWhenReady) this.post({ type: 'focusComposer' });
        this.focusWhenReady = false;
        return;
      case 'ask':
        await vscode.commands.executeCommand('sourceline.ask', message.question);
        return;
      case 'stop':
        this.stop();
        return;
      case 'setupModel':
        if (message.choice === 'endpoint') await connectModel(this.context.secrets);
        else if (message.choice === 'editor') await useEditorModel();
        else {
          await this.context.globalState.update(SOURCES_ONLY_KEY, true);
          this.models = { ...this.models, sourcesOnlyChosen: true };
          this.post({ type: 'models', state: this.models });
        }
        return;
      case 'copyText':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.setStatusBarMessage('Sourceline: code copied', 2000);
        return;
      case 'insertCode':
        await insertAtCursor(message.text);
        return;
      case 'open':
        await openRange(message.file, message.startLine, message.endLine);
        return;
      case 'copy': {
        const answer = this.turns().find((t) => t.id === message.id)?.answer;
        if (answer !== undefined && answer !== null) {
          await vscode.env.clipboard.writeText(answer.answer);
          void vscode.window.setStatusBarMessage('Sourceline: answer copied', 2000);
        }
        return;
      }
      case 'apply': {
        const answer = this.turns().find((t) => t.id === message.id)?.answer;
        if (answer !== undefined && answer !== null) await applyAnswer(answer);
        return;
      }
      case 'configureModels':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'sourceline.models');
        return;
      case 'retry': {
        const again = this.retries.get(message.id);
        const turn = this.turns().find((t) => t.id === message.id);
        // After a reload only questions can be asked again; a draft is started from its command.
        if (again !== undefined) await again();
        else if (turn !== undefined && (turn.answer === null || turn.answer.kind.type === 'ask')) await vscode.commands.executeCommand('sourceline.ask', turn.question);
        else void vscode.window.showInformationMessage('Sourceline: run the command again (Write Docstring or Draft Commit Message) to redo this draft.');
        return;
      }
    }
  }

  /** New Chat: the current conversation goes to the history (nothing is lost), an empty one opens. */
  async newChat(): Promise<void> {
    this.stop();
    this.state = conv.startNew(this.state, this.newId(), Date.now());
    await this.save();
    this.showCurrent();
  }

  /** The history: every conversation of this workspace, to open one again or delete one (chatHistory.ts). */
  async showHistory(): Promise<void> {
    await pickConversation({
      state: () => this.state,
      open: async (id) => {
        this.stop();
        this.state = conv.restore(this.state, id);
        await this.save();
        await this.reveal();
        this.showCurrent();
      },
      remove: async (id) => {
        if (id === this.state.currentId) this.stop();
        this.state = conv.remove(this.state, id, () => this.newId(), Date.now());
        await this.save();
        this.showCurrent();
      },
      undo: async (deleted) => {
        this.state = conv.reinsert(this.state, deleted);
        await this.save();
      },
    });
  }

  private turns(): readonly Turn[] {
    return conv.current(this.state).turns;
  }

  private showCurrent(): void {
    const c = conv.current(this.state);
    this.post({ type: 'history', turns: c.turns, busy: this.running !== null && c.turns.some((t) => t.id === this.running?.id), title: c.turns.length === 0 ? '' : c.title });
  }

  private newId(): string {
    return `${Date.now().toString(36)}-${++this.counter}`;
  }

  private onDelta(id: string, text: string): void {
    const turn = this.turns().find((t) => t.id === id);
    if (turn === undefined) return;
    this.upsert({ ...turn, streamed: turn.streamed + text });
    this.post({ type: 'delta', id, text });
  }

  private upsert(turn: Turn): void {
    const turns = this.turns();
    const i = turns.findIndex((t) => t.id === turn.id);
    const next = i >= 0 ? turns.map((t, j) => (j === i ? turn : t)) : [...turns, turn];
    this.state = conv.withTurns(this.state, next, Date.now());
  }

  private async save(): Promise<void> {
    await this.context.workspaceState.update(CONVERSATIONS_KEY, conv.forStorage(this.state));
    await this.context.workspaceState.update(LEGACY_TURNS_KEY, undefined);
  }

  private post(message: ToWebview): void {
    void this.view?.webview.postMessage(message);
  }

  private async reveal(): Promise<void> {
    if (this.view === undefined) await vscode.commands.executeCommand(`${ChatView.viewId}.focus`);
    else this.view.show(true);
  }
}
