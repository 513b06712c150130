import * as vscode from 'vscode';
import type { AnswerWire, DocPlacement } from '../shared/types';
import { docstringEdit, relocatePlacement, reindent, unfenced } from './answerText';
import { isRecord } from '../shared/guards';

/** Puts the drafted comment where the engine placed it (replacing the unit's old one), in the editor it was drafted from. */
async function insertDocstring(answer: AnswerWire, file: string, drafted: DocPlacement | null | undefined): Promise<void> {
  const comment = unfenced(answer.answer);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const placement = drafted === null || drafted === undefined ? null : relocatePlacement(drafted, document.lineCount, (i) => document.lineAt(i).text);
  if (placement === null) {
    await vscode.env.clipboard.writeText(comment);
    const why = drafted === null
      ? 'a one-line definition has no place for a docstring'
      : drafted === undefined
        ? 'this draft predates placement: run Write Docstring again'
        : 'the code it was written for has changed since: run Write Docstring again';
    void vscode.window.showInformationMessage(`Sourceline: the docstring was copied to the clipboard (${why}).`);
    return;
  }
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  const e = docstringEdit(placement, reindent(comment, placement.indent), document.lineCount, (i) => document.lineAt(i).text.length);
  await editor.edit((edit) => edit.replace(new vscode.Range(e.start.line, e.start.character, e.end.line, e.end.character), e.text));
}

/** The built-in Git extension's API (no published types: checked at the boundary). */
function gitInputBoxes(): Array<{ rootUri: vscode.Uri; inputBox: { value: string } }> {
  const exports: unknown = vscode.extensions.getExtension('vscode.git')?.exports;
  if (!isRecord(exports) || typeof exports['getAPI'] !== 'function') return [];
  const api: unknown = exports['getAPI'](1);
  if (!isRecord(api) || !Array.isArray(api['repositories'])) return [];
  return api['repositories'].flatMap((r: unknown) => {
    if (!isRecord(r) || !(r['rootUri'] instanceof vscode.Uri) || !isRecord(r['inputBox'])) return [];
    const inputBox = r['inputBox'];
    return [{ rootUri: r['rootUri'], inputBox: { get value() { return String(inputBox['value']); }, set value(v: string) { inputBox['value'] = v; } } }];
  });
}

async function useAsCommitMessage(answer: AnswerWire, root: string): Promise<void> {
  const message = unfenced(answer.answer);
  const repo = gitInputBoxes().find((r) => r.rootUri.fsPath === root);
  if (repo === undefined) {
    await vscode.env.clipboard.writeText(message);
    void vscode.window.showInformationMessage('Sourceline: the Git view is not available, so the message was copied to the clipboard.');
    return;
  }
  repo.inputBox.value = message;
  await vscode.commands.executeCommand('workbench.view.scm');
}

export async function applyAnswer(answer: AnswerWire): Promise<void> {
  if (answer.kind.type === 'docstring') await insertDocstring(answer, answer.kind.file, answer.kind.placement);
  else if (answer.kind.type === 'commitMessage') await useAsCommitMessage(answer, answer.kind.root);
}
