import * as vscode from 'vscode';

/** The client's one log channel. `error()` also shows the channel, so failures are visible. */
let channel: vscode.LogOutputChannel | undefined;

export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Sourceline', { log: true });
  return channel;
}

export function showError(message: string): void {
  log().error(message);
  void vscode.window.showErrorMessage(`Sourceline: ${message}`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') log().show();
  });
}
