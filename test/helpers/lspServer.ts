import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { IndexStateNotification } from '../../src/shared/protocol';
import type { IndexStateParams } from '../../src/shared/types';

const SERVER = path.resolve(__dirname, '../../dist/server.js');

export interface ServerSession {
  readonly connection: MessageConnection;
  readonly process: ChildProcessWithoutNullStreams;
  readonly states: IndexStateParams[];
  readonly progress: unknown[];
  /** The first ready (or error) state after the first `after` states. */
  ready(after?: number): Promise<IndexStateParams>;
}

const sessions: ServerSession[] = [];

/** Shuts down every server started by the test (call in afterEach). */
export async function stopServers(): Promise<void> {
  for (const s of sessions.splice(0)) {
    await s.connection.sendRequest('shutdown').catch(() => undefined);
    s.connection.dispose();
    s.process.kill();
  }
}

/** Starts the built server over stdio and speaks LSP to it as vscode-languageclient would. */
export async function startServer(root: string, storagePath: string, settings: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<ServerSession> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...env } });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const states: IndexStateParams[] = [];
  const progress: unknown[] = [];
  const waiters: Array<() => void> = [];
  connection.onNotification(IndexStateNotification, (p) => {
    states.push(p);
    for (const w of waiters.splice(0)) w();
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('$/progress', (p: unknown) => progress.push(p));
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: path.basename(root) }],
    capabilities: { window: { workDoneProgress: true }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { storagePath, ...settings },
  });
  await connection.sendNotification('initialized', {});
  const ready = (after = 0): Promise<IndexStateParams> =>
    new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no ready state; saw ${JSON.stringify(states)}`)), 30_000);
      const check = (): void => {
        const found = states.slice(after).find((s) => s.state === 'ready' || s.state === 'error');
        if (found !== undefined) {
          clearTimeout(deadline);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  const session = { connection, process: child, states, progress, ready };
  sessions.push(session);
  return session;
}
