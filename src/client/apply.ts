import * as vscode from 'vscode';
import type { AnswerWire } from '../shared/types';
import { reindent, unfenced } from './answerText';
import { isRecord } from '../shared/guards';

async function insertDocstring(answer: AnswerWire, file: string): Promise<void> {
  const unit = answer.sources.find((s) => s.n === 1);
  if (unit === undefined) return;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const line = document.lineAt(Math.min(unit.startLine, document.lineCount) - 1);
  const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
  const comment = reindent(unfenced(answer.answer), indent);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One });
  // Python docstrings go inside the body, below the signature; every other language's comment goes above.
  const python = document.languageId === 'python';
  const at = python ? new vscode.Position(line.lineNumber + 1, 0) : new vscode.Position(line.lineNumber, 0);
  const text = `${python ? reindent(comment, `${indent}    `) : comment}\n`;
  await editor.edit((edit) => edit.insert(at, text));
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
  if (answer.kind.type === 'docstring') await insertDocstring(answer, answer.kind.file);
  else if (answer.kind.type === 'commitMessage') await useAsCommitMessage(answer, answer.kind.root);
}
