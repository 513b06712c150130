import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AskRequest, DraftCommitMessageRequest, DraftDocstringRequest, IndexControlRequest, ReindexRequest } from '../shared/protocol';
import type { FocusWire } from '../shared/types';
import type { ChatView } from './chatView';
import { showError } from './log';
import { setApiKey } from './models';
import { connectModel, useEditorModel } from './connectModel';
import { openRange } from './openRange';
import { searchCodebase } from './search';
import { showStatus } from './status';

/** What the commands need: the server connection, the chat panel, the secrets. */
export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly chat: ChatView;
}

function ask(ctx: CommandContext, question: string, focus?: FocusWire): Promise<void> {
  // The conversation so far, taken before this question becomes a turn of it.
  const history = ctx.chat.earlierTurns();
  return ctx.chat.run(question, (id, token) => ctx.client.sendRequest(AskRequest, { id, question, history, ...(focus === undefined ? {} : { focus }) }, token));
}

/** Sourceline: Ask… — from the palette or Ctrl+Alt+/ (the panel's question box takes the keyboard), or with the typed question. */
async function askCommand(ctx: CommandContext, typed: unknown): Promise<void> {
  if (typeof typed !== 'string') {
    await ctx.chat.focusComposer();
    return;
  }
  if (typed.trim() === '') return;
  await ask(ctx, typed.trim());
}

function symbolAt(editor: vscode.TextEditor): string | undefined {
  const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[A-Za-z_$][\w$]*/);
  return range === undefined ? undefined : editor.document.getText(range);
}

/** Explain Selection with Sources: the selected lines are source [1]; no selection → the symbol under the cursor. */
async function explainSelection(ctx: CommandContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) throw new Error('Open a file and select code (or put the cursor on a symbol) first.');
  const file = vscode.workspace.asRelativePath(editor.document.uri);
  if (!editor.selection.isEmpty) {
    const start = editor.selection.start.line + 1;
    // A selection ending at column 0 does not include that line.
    const end = editor.selection.end.character === 0 && editor.selection.end.line > editor.selection.start.line ? editor.selection.end.line : editor.selection.end.line + 1;
    await ask(ctx, `Explain the selected code in ${file}:${start}-${end}`, { file: editor.document.uri.fsPath, startLine: start, endLine: end });
    return;
  }
  const symbol = symbolAt(editor);
  if (symbol === undefined) throw new Error('Select code or put the cursor on a symbol first.');
  await explainSymbol(ctx, symbol, editor.document.uri.fsPath, editor.selection.active.line + 1);
}

/** The hover's "Explain with sources" link: the symbol, and the line it was hovered on as context. */
async function explainSymbol(ctx: CommandContext, symbol: unknown, file: unknown, line: unknown): Promise<void> {
  if (typeof symbol !== 'string' || typeof file !== 'string' || typeof line !== 'number') return;
  const where = `${vscode.workspace.asRelativePath(file)}:${line}`;
  await ask(ctx, `Explain \`${symbol}\`: what it does, where it is defined and how it is used (asked at ${where})`, { file, startLine: line, endLine: line });
}

async function writeDocstring(ctx: CommandContext): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) throw new Error('Put the cursor in a function, method or class first.');
  const line = editor.selection.active.line + 1;
  const params = { file: editor.document.uri.fsPath, line, text: editor.document.getText() };
  // The unit's name is known once the engine has found it: the turn is retitled then (docstringTitle).
  await ctx.chat.run(`Write Docstring in House Style at ${vscode.workspace.asRelativePath(editor.document.uri)}:${line}`, (id, token) =>
    ctx.client.sendRequest(DraftDocstringRequest, { id, ...params }, token),
  );
}

/** Draft Commit Message: from the SCM title (its repository) or the palette (the active editor's folder). */
async function draftCommitMessage(ctx: CommandContext, scm: unknown): Promise<void> {
  const scmRoot = typeof scm === 'object' && scm !== null && 'rootUri' in scm && scm.rootUri instanceof vscode.Uri ? scm.rootUri : undefined;
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (scmRoot === undefined ? undefined : vscode.workspace.getWorkspaceFolder(scmRoot))
    ?? (active === undefined ? undefined : vscode.workspace.getWorkspaceFolder(active))
    ?? vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) throw new Error('Open a folder that is a git repository first.');
  const root = scmRoot?.fsPath ?? folder.uri.fsPath;
  await ctx.chat.run(`Draft Commit Message for the staged changes in ${folder.name}`, (id, token) => ctx.client.sendRequest(DraftCommitMessageRequest, { id, root }, token));
}

async function clearIndex(ctx: CommandContext): Promise<void> {
  const choice = await vscode.window.showWarningMessage('Clear the Sourceline index? It is rebuilt from scratch (your files are not touched).', { modal: true }, 'Clear Index');
  if (choice === 'Clear Index') await ctx.client.sendRequest(IndexControlRequest, { action: 'clear' });
}

type Handler = (ctx: CommandContext, ...args: unknown[]) => Promise<unknown>;

/**
 * The commands, from one table (design rule 7): id → handler. Which are offered when (pause vs
 * resume) is declared in package.json against the `sourceline.indexState` context key.
 */
const COMMANDS: ReadonlyArray<readonly [string, Handler]> = [
  ['sourceline.search', (ctx) => searchCodebase(ctx.client)],
  ['sourceline.ask', (ctx, typed) => askCommand(ctx, typed)],
  ['sourceline.explainSelection', (ctx) => explainSelection(ctx)],
  ['sourceline.explainSymbol', (ctx, symbol, file, line) => explainSymbol(ctx, symbol, file, line)],
  ['sourceline.writeDocstring', (ctx) => writeDocstring(ctx)],
  ['sourceline.draftCommitMessage', (ctx, scm) => draftCommitMessage(ctx, scm)],
  ['sourceline.reindex', (ctx) => ctx.client.sendRequest(ReindexRequest)],
  ['sourceline.pauseIndexing', (ctx) => ctx.client.sendRequest(IndexControlRequest, { action: 'pause' })],
  ['sourceline.resumeIndexing', (ctx) => ctx.client.sendRequest(IndexControlRequest, { action: 'resume' })],
  ['sourceline.clearIndex', (ctx) => clearIndex(ctx)],
  ['sourceline.showStatus', (ctx) => showStatus(ctx.client, ctx.chat.answeringSummary())],
  ['sourceline.setApiKey', (ctx) => setApiKey(ctx.extension.secrets)],
  ['sourceline.getStarted', async () => vscode.commands.executeCommand('workbench.action.openWalkthrough', 'sourceline.sourceline#start', false)],
  ['sourceline.connectModel', (ctx) => connectModel(ctx.extension.secrets)],
  ['sourceline.useEditorModel', () => useEditorModel()],
  ['sourceline.stopAnswer', async (ctx) => ctx.chat.stop()],
  ['sourceline.newChat', (ctx) => ctx.chat.newChat()],
  ['sourceline.chatHistory', (ctx) => ctx.chat.showHistory()],
  ['sourceline.openRange', async (_ctx, file, startLine, endLine) => {
    if (typeof file === 'string' && typeof startLine === 'number' && typeof endLine === 'number') await openRange(file, startLine, endLine);
  }],
];

export function registerCommands(ctx: CommandContext): void {
  for (const [id, run] of COMMANDS) {
    ctx.extension.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await run(ctx, ...args);
        } catch (error) {
          showError(`${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  }
}
