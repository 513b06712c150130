import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ReindexRequest, SearchRequest, StatusRequest } from '../shared/protocol';
import type { SearchResultWire } from '../shared/types';
import { log, showError } from './log';

interface ResultItem extends vscode.QuickPickItem {
  readonly result: SearchResultWire;
}

/** Opens a result's file with its range selected and revealed. */
export async function openRange(file: string, startLine: number, endLine: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const range = new vscode.Range(startLine - 1, 0, endLine - 1, document.lineAt(Math.min(endLine, document.lineCount) - 1).text.length);
  const editor = await vscode.window.showTextDocument(document, { selection: range, preview: true });
  // Anchored at the end, active at the start: the range stays highlighted and the cursor is on its
  // first line (showTextDocument takes a range and puts the cursor at its end).
  editor.selection = new vscode.Selection(range.end, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Search Codebase…: a QuickPick whose results follow the typing; Enter opens the range. */
async function searchCodebase(client: LanguageClient): Promise<void> {
  const pick = vscode.window.createQuickPick<ResultItem>();
  pick.placeholder = 'Search the codebase (words, identifiers, or a question)';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  let generation = 0;
  pick.onDidChangeValue(async (value) => {
    const mine = ++generation;
    if (value.trim() === '') {
      pick.items = [];
      return;
    }
    pick.busy = true;
    try {
      const response = await client.sendRequest(SearchRequest, { query: value, limit: 20 });
      if (mine !== generation) return;
      // Items always show, whatever VS Code's own fuzzy filter thinks of the query.
      pick.items = response.results.map((r) => ({
        label: `${r.symbol === '' ? r.path : r.symbol}`,
        description: `${r.path}:${r.startLine}-${r.endLine}`,
        detail: r.snippet.split('\n').find((l) => l.trim() !== '')?.trim() ?? '',
        alwaysShow: true,
        result: r,
      }));
    } catch (error) {
      log().warn(`search failed: ${String(error)}`);
    } finally {
      if (mine === generation) pick.busy = false;
    }
  });
  pick.onDidAccept(async () => {
    const chosen = pick.selectedItems[0];
    pick.hide();
    if (chosen !== undefined) await openRange(chosen.result.file, chosen.result.startLine, chosen.result.endLine);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}

async function showStatus(client: LanguageClient): Promise<void> {
  const s = await client.sendRequest(StatusRequest);
  const lines = [
    `State: ${s.state}`, `Model: ${s.model ?? 'none'}`, `Files indexed: ${s.filesIndexed}`, `Chunks: ${s.chunks}`,
    `Database: ${(s.dbBytes / 1024 / 1024).toFixed(1)} MiB`, `Skipped: ${s.filesSkipped}`,
    ...s.skipped.map((f) => `  ${f.root}/${f.path}: ${f.reason} (${f.detail})`),
  ];
  log().info(lines.join('\n'));
  log().show(true);
}

/** The commands, from one table (design rule 7): id → handler. */
export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  const table: ReadonlyArray<[string, () => Promise<unknown>]> = [
    ['sourceline.search', () => searchCodebase(client)],
    ['sourceline.reindex', () => client.sendRequest(ReindexRequest)],
    ['sourceline.showStatus', () => showStatus(client)],
  ];
  // Opens a file at a range: the target of links in hovers (and, later, citation chips).
  context.subscriptions.push(
    vscode.commands.registerCommand('sourceline.openRange', async (file: unknown, startLine: unknown, endLine: unknown) => {
      if (typeof file !== 'string' || typeof startLine !== 'number' || typeof endLine !== 'number') return;
      await openRange(file, startLine, endLine);
    }),
  );
  for (const [id, run] of table) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async () => {
        try {
          await run();
        } catch (error) {
          showError(`${id} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
    );
  }
}
