import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ReincludeRequest, StatusRequest } from '../shared/protocol';
import type { StatusResponse } from '../shared/types';

type StatusItem = vscode.QuickPickItem & { readonly run?: () => Promise<unknown> };

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const n = (x: number): string => x.toLocaleString('en-US');

/** What to offer for one skipped file: re-including works for every reason but the size cap. */
async function skippedFileActions(client: LanguageClient, status: StatusResponse, file: StatusResponse['skipped'][number]): Promise<void> {
  const actions = file.reason === 'too-large' ? ['Raise the Size Limit', 'Open File'] : ['Re-include', 'Open File'];
  const choice = await vscode.window.showInformationMessage(`${file.path} is not indexed: ${file.reason} (${file.detail}).`, ...actions);
  if (choice === 'Re-include') {
    const message = await client.sendRequest(ReincludeRequest, { root: file.root, path: file.path });
    void vscode.window.showInformationMessage(`Sourceline: ${message}`);
  } else if (choice === 'Raise the Size Limit') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'sourceline.index.maxFileSize');
  } else if (choice === 'Open File') {
    await openFile(status, file);
  }
}

async function openFile(status: StatusResponse, file: { readonly root: string; readonly path: string }): Promise<void> {
  const root = status.roots.find((r) => r.name === file.root);
  if (root !== undefined) await vscode.window.showTextDocument(vscode.Uri.file(path.join(root.path, ...file.path.split('/'))), { preview: true });
}

/** The index status (the status bar's click): counts, model, size, and every skipped file with its reason. */
export async function showStatus(client: LanguageClient, answering: string): Promise<void> {
  const s = await client.sendRequest(StatusRequest);
  const command = (label: string, id: string, description?: string): StatusItem => ({ label, ...(description === undefined ? {} : { description }), run: async () => vscode.commands.executeCommand(id) });
  const items: StatusItem[] = [
    { label: 'Index', kind: vscode.QuickPickItemKind.Separator },
    { label: `$(database) ${n(s.filesIndexed)} files indexed, ${n(s.chunks)} chunks`, description: `${s.state} · ${mib(s.dbBytes)}`, detail: s.roots.map((r) => `${r.name}: ${r.path}`).join(' · ') },
    { label: `$(symbol-misc) Embedding model: ${s.model ?? 'none (lexical search only)'}` },
    { ...command(`$(comment-discussion) Answers: ${answering}`, 'sourceline.connectModel'), description: 'pick to connect a model' },
    s.state === 'paused' ? command('$(debug-start) Resume Indexing', 'sourceline.resumeIndexing') : command('$(debug-pause) Pause Indexing', 'sourceline.pauseIndexing'),
    command('$(refresh) Re-index', 'sourceline.reindex'),
    command('$(trash) Clear Index…', 'sourceline.clearIndex', 'rebuilds it from scratch'),
    { label: `Skipped files (${n(s.filesSkipped)}) — pick one to see why, or to re-include it`, kind: vscode.QuickPickItemKind.Separator },
    ...s.skipped.map((f): StatusItem => ({
      label: `$(circle-slash) ${s.roots.length > 1 ? `${f.root}/` : ''}${f.path}`,
      description: f.reason,
      detail: f.detail,
      run: () => skippedFileActions(client, s, f),
    })),
    ...(s.redacted.length === 0 ? [] : [{ label: `Secrets redacted before indexing (${n(s.redacted.length)} files) — never stored, embedded or sent`, kind: vscode.QuickPickItemKind.Separator }]),
    ...s.redacted.map((f): StatusItem => ({
      label: `$(lock) ${s.roots.length > 1 ? `${f.root}/` : ''}${f.path}`,
      description: 'redacted',
      detail: f.detail,
      run: async () => openFile(s, f),
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Sourceline: Index Status', matchOnDescription: true, matchOnDetail: true, placeHolder: 'Filter skipped files by path or reason' });
  await picked?.run?.();
}
