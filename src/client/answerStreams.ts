import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AnswerDeltaNotification, AnswerSourcesNotification } from '../shared/protocol';
import type { SourceWire } from '../shared/types';

export interface AnswerListener {
  readonly onDelta: (text: string) => void;
  readonly onSources: (sources: readonly SourceWire[]) => void;
}

/**
 * The streamed pieces of answers, routed by answer id to whoever asked (the chat panel, the
 * `@sourceline` participant). A connection keeps one handler per notification, so this is it.
 */
export class AnswerStreams implements vscode.Disposable {
  private readonly listeners = new Map<string, AnswerListener>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(client: LanguageClient) {
    this.subscriptions = [
      client.onNotification(AnswerDeltaNotification, (p) => this.listeners.get(p.id)?.onDelta(p.text)),
      client.onNotification(AnswerSourcesNotification, (p) => this.listeners.get(p.id)?.onSources(p.sources)),
    ];
  }

  listen(id: string, listener: AnswerListener): vscode.Disposable {
    this.listeners.set(id, listener);
    return new vscode.Disposable(() => {
      if (this.listeners.get(id) === listener) this.listeners.delete(id);
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.listeners.clear();
  }
}
