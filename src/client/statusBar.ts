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
      // Commands offered in the palette follow the state (pause vs resume): package.json `when` clauses.
      void vscode.commands.executeCommand('setContext', 'sourceline.indexState', s.state);
      if (s.state === 'indexing') item.text = `$(sync~spin) Sourceline: ${n(s.filesDone)} / ${n(s.filesTotal)} files`;
      else if (s.state === 'ready') item.text = '$(check) Sourceline: ready';
      else if (s.state === 'paused') item.text = '$(debug-pause) Sourceline: paused';
      else if (s.state === 'starting') item.text = '$(sync~spin) Sourceline: starting';
      else item.text = '$(error) Sourceline: error';
      item.tooltip = s.message ?? (s.state === 'ready' ? `${n(s.filesTotal)} files indexed — click for the index status` : 'Click for the index status');
    },
  };
}
