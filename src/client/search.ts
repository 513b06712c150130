import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SearchRequest } from '../shared/protocol';
import type { SearchResultWire } from '../shared/types';
import { log } from './log';
import { openRange } from './openRange';
import { bestLine } from './answerText';

interface ResultItem extends vscode.QuickPickItem {
  readonly result: SearchResultWire;
}

/** Search Codebase…: a QuickPick whose results follow the typing; Enter opens the range. */
export async function searchCodebase(client: LanguageClient): Promise<void> {
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
        label: r.symbol === '' ? r.path : r.symbol,
        description: `${r.path}:${r.startLine}-${r.endLine}`,
        detail: bestLine(r.snippet, value),
        alwaysShow: true,
        result: r,
      }));
      if (response.degraded !== null) pick.title = `Lexical results only: ${response.degraded}`;
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
