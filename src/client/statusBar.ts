import * as vscode from 'vscode';
import type { IndexStateParams } from '../shared/types';

/** The status bar item: indexing progress, then readiness; a click opens the index status. */
export function createStatusBar(): { item: vscode.StatusBarItem; update: (state: IndexStateParams) => void } {
  const item = vscode.window.createStatusBarItem('sourceline.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Sourceline';
  item.command = 'sourceline.showStatus';
  item.text = '$(sync~spin) Sourceline: starting';
  item.show();
  const n = (x: number): string => x.toLocaleString('en-US');
  return {
    item,
    update: (s) => {
      if (s.state === 'indexing') item.text = `$(sync~spin) Sourceline: ${n(s.filesDone)} / ${n(s.filesTotal)} files`;
      else if (s.state === 'ready') item.text = '$(check) Sourceline: ready';
      else if (s.state === 'error') item.text = '$(error) Sourceline: error';
      item.tooltip = s.message ?? (s.state === 'ready' ? `${n(s.filesTotal)} files indexed` : undefined);
    },
  };
}
