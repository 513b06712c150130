import * as vscode from 'vscode';

/**
 * Insert at Cursor (a chat code block's button): the code replaces the selection of the editor the
 * user was last in, as one undoable edit. The chat panel has the focus when its button is clicked,
 * so "the editor" is the last active one, else the first visible one.
 */
export async function insertAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled');
  if (editor === undefined) {
    void vscode.window.showWarningMessage('Sourceline: open a file and put the cursor where the code goes, then press Insert again.');
    return;
  }
  const shown = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  const ok = await shown.edit((edit) => {
    for (const selection of shown.selections) edit.replace(selection, code);
  });
  if (!ok) void vscode.window.showWarningMessage(`Sourceline: ${shown.document.fileName} could not be edited (is it read-only?). The code is unchanged in the chat; use Copy instead.`);
}
