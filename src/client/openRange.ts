import * as vscode from 'vscode';

/** Opens a file with a range selected and revealed: search results, hover links, citation chips. */
export async function openRange(file: string, startLine: number, endLine: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const last = Math.max(1, Math.min(endLine, document.lineCount));
  const first = Math.max(1, Math.min(startLine, last));
  const range = new vscode.Range(first - 1, 0, last - 1, document.lineAt(last - 1).text.length);
  const editor = await vscode.window.showTextDocument(document, { selection: range, preview: true, viewColumn: vscode.ViewColumn.One });
  // Anchored at the end, active at the start: the range stays highlighted and the cursor is on its
  // first line (showTextDocument takes a range and puts the cursor at its end).
  editor.selection = new vscode.Selection(range.end, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
