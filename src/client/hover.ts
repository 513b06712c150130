import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SymbolContextRequest } from '../shared/protocol';
import type { LocationWire, SymbolContextResponse } from '../shared/types';
import { readSettings } from './config';

/** The hover never blocks typing: past this, it shows nothing rather than something late. */
const BUDGET_MS = 300;

function link(l: LocationWire): string {
  const args = encodeURIComponent(JSON.stringify([l.file, l.startLine, l.endLine]));
  return `[${l.path}:${l.startLine}-${l.endLine}](command:sourceline.openRange?${args})`;
}

/** Where the symbol under the mouse is defined and used, from the index, and a link that explains it in the panel. */
export function createHoverProvider(client: LanguageClient): vscode.HoverProvider {
  return {
    async provideHover(document, position, token) {
      try {
        if (!readSettings().hoverEnabled) return null;
        const range = document.getWordRangeAtPosition(position, /[A-Za-z_$][\w$]*/);
        if (range === undefined) return null;
        const symbol = document.getText(range);
        if (symbol.length < 3) return null;
        const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), BUDGET_MS));
        const request = client.sendRequest(SymbolContextRequest, { symbol, file: document.uri.fsPath }, token);
        const context: SymbolContextResponse | null = await Promise.race([request, timeout]);
        if (context === null || token.isCancellationRequested) return null;
        if (context.definitions.length === 0 && context.usages.length === 0) return null;
        const md = new vscode.MarkdownString(undefined, true);
        md.isTrusted = { enabledCommands: ['sourceline.openRange', 'sourceline.explainSymbol'] };
        md.appendMarkdown(`**Sourceline** · \`${symbol}\`\n\n`);
        if (context.definitions.length > 0) md.appendMarkdown(`Defined in ${context.definitions.map(link).join(', ')}\n\n`);
        if (context.usages.length > 0) md.appendMarkdown(`Used in ${context.usages.map(link).join(', ')}\n\n`);
        const explain = encodeURIComponent(JSON.stringify([symbol, document.uri.fsPath, position.line + 1]));
        md.appendMarkdown(`[$(comment-discussion) Explain with sources](command:sourceline.explainSymbol?${explain} "Stream an explanation with citations into the Sourceline panel")`);
        return new vscode.Hover(md, range);
      } catch {
        // A hover never throws at the user: no index yet, a cancelled request — show nothing.
        return null;
      }
    },
  };
}
