import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AnswerWire, DocPlacement } from '../shared/types';
import { extractCommitMessage, extractDocComment } from '../engine/answer/artifact';
import { docstringEdit, relocatePlacement, reindent } from './answerText';
import { isRecord } from '../shared/guards';

/** Puts the drafted comment where the engine placed it (replacing the unit's old one), in the editor it was drafted from. */
async function insertDocstring(answer: AnswerWire, file: string, drafted: DocPlacement | null | undefined): Promise<void> {
  // Only the comment itself goes into the file: never the model's preamble, fences, notes or [n] markers.
  const extracted = extractDocComment(answer.answer, file);
  if (!extracted.ok) {
    await vscode.env.clipboard.writeText(answer.answer);
    void vscode.window.showWarningMessage(`Sourceline: nothing was inserted — ${extracted.reason}. The reply was copied to the clipboard.`);
    return;
  }
  const comment = extracted.text;
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
  const e = docstringEdit(placement, reindent(comment, placement.indent), document.lineCount, (i) => document.lineAt(i).text.length);
  const range = new vscode.Range(e.start.line, e.start.character, e.end.line, e.end.character);
  const version = document.version;
  if (!(await acceptedInPreview(document, range, e.text))) return;
  if (document.version !== version) {
    void vscode.window.showWarningMessage('Sourceline: the file changed while the preview was open, so nothing was inserted. Run Insert Docstring again.');
    return;
  }
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  await editor.edit((edit) => edit.replace(range, e.text));
}

/** Read-only documents holding a proposed edit's result, shown against the file in a diff. */
const PREVIEW_SCHEME = 'sourceline-preview';
const previews = new Map<string, string>();

export function registerPreviews(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, { provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '' });
}

/** Shows the file beside itself with `text` in place of `range`, and asks before anything touches the file. */
async function acceptedInPreview(document: vscode.TextDocument, range: vscode.Range, text: string): Promise<boolean> {
  const original = document.getText();
  const edited = `${original.slice(0, document.offsetAt(range.start))}${text}${original.slice(document.offsetAt(range.end))}`;
  const name = path.basename(document.uri.fsPath);
  const preview = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: document.uri.path, query: `v${document.version}-${Date.now()}` });
  previews.set(preview.toString(), edited);
  try {
    await vscode.commands.executeCommand('vscode.diff', document.uri, preview, `${name} ↔ with the docstring (preview)`, { preview: true, viewColumn: vscode.ViewColumn.One });
    const choice = await vscode.window.showInformationMessage(`Insert the docstring into ${name}, as the preview shows?`, 'Accept', 'Discard');
    return choice === 'Accept';
  } finally {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === preview.toString());
    await vscode.window.tabGroups.close(tabs);
    previews.delete(preview.toString());
  }
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
  const extracted = extractCommitMessage(answer.answer);
  if (!extracted.ok) {
    void vscode.window.showWarningMessage(`Sourceline: ${extracted.reason}; nothing was put into the Git input box.`);
    return;
  }
  const message = extracted.text;
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
