import { statSync, truncateSync, unlinkSync } from 'node:fs';
import * as net from 'node:net';
import { describe, isSourcelineError } from '../../shared/errors';
import { parseCli, USAGE } from '../args';
import { reportFailure } from '../failure';
import type { CliOutput } from '../output';
import { runServed } from '../served';
import { residentAddress } from './address';
import { HeldIndexes } from './heldIndexes';
import { isResidentCommand, LineReader, parseLine, residentRequest, type ResidentReply } from './protocol';
import { connectionAnswers } from './client';
import { fileIdentity } from './fileIdentity';

/** How long the process stays with nothing to do (SOURCELINE_RESIDENT_IDLE_MS; default 10 minutes). */
function idleMs(): number {
  const fromEnv = Number(process.env['SOURCELINE_RESIDENT_IDLE_MS']);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 10 * 60_000;
}

/** A log past this is started afresh when the process starts: it says why the last ones ended, not all history. */
const LOG_KEEP_BYTES = 1024 * 1024;
/** How often the process checks that its socket is still the one at its address (a newer process may have taken it). */
const SOCKET_CHECK_MS = 30_000;

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

function send(socket: net.Socket, reply: ResidentReply): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
}

/** Listens at `socket`, taking over a stale socket file; resolves false when a live process already answers there. */
async function listen(server: net.Server, socket: string): Promise<boolean> {
  const attempt = (): Promise<NodeJS.ErrnoException | null> =>
    new Promise((resolve) => {
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
      server.listen(socket, () => resolve(null));
    });
  const first = await attempt();
  if (first === null) return true;
  if (first.code !== 'EADDRINUSE') throw first;
  if (await connectionAnswers(socket)) return false;
  unlinkSync(socket);
  const second = await attempt();
  if (second !== null) throw second;
  return true;
}

/**
 * The resident search process (`sourceline __resident`): serves `sourceline search` (and the
 * answering commands: ask, docstring, commit-message) for the launcher over a Unix socket with its indexes held open (resident/heldIndexes.ts), so a search
 * costs the launcher's start and the search itself, not opening the index and warming its caches
 * each time. It ends after a quiet spell, when a newer process takes its socket, or when told to.
 * Resolves with the exit code.
 */
export async function serveResident(bundle: string): Promise<number> {
  const address = residentAddress(bundle);
  if (address === null) {
    log('no private folder for the socket, or resident searches are turned off: not starting');
    return 1;
  }
  try {
    if (statSync(address.log).size > LOG_KEEP_BYTES) truncateSync(address.log);
  } catch {
    // no log yet: nothing to trim
  }
  const indexes = new HeldIndexes(log);
  let active = 0;
  let idleTimer: NodeJS.Timeout | null = null;
  let ending: Promise<void> | null = null;
  let ours: string | null = null;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve;
  });

  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    const reader = new LineReader();
    socket.on('error', () => undefined);
    socket.on('data', (chunk: string) => {
      for (const line of reader.push(chunk)) {
        const request = parseLine(line, residentRequest);
        if (request === null) {
          send(socket, { decline: 'not a request this process understands' });
          socket.end();
          return;
        }
        if (request.kind === 'ping') {
          send(socket, { pid: process.pid });
          socket.end();
        } else if (request.kind === 'stop') {
          send(socket, { pid: process.pid });
          socket.end();
          void end('asked to stop');
        } else {
          void serve(socket, request.argv, request.cwd);
        }
      }
    });
  });

  const armIdle = (): void => {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = active === 0 ? setTimeout(() => void end('idle'), idleMs()) : null;
  };

  const serve = async (socket: net.Socket, argv: readonly string[], cwd: string): Promise<void> => {
    active++;
    armIdle();
    const output: CliOutput = { out: (text) => send(socket, { out: text }), err: (text) => send(socket, { err: text }) };
    const gone = new AbortController();
    socket.once('close', () => gone.abort());
    try {
      const outcome = await runRequest(indexes, argv, cwd, output, gone.signal);
      send(socket, outcome === 'decline' ? { decline: 'only searching and answering commands are served here' } : { exit: outcome });
    } catch (error) {
      send(socket, { exit: reportFailure(error, output) });
      if (!isSourcelineError(error)) log(`${argv[0] ?? 'command'} failed: ${describe(error)}`);
    }
    socket.end();
    active--;
    armIdle();
  };

  const end = (why: string): Promise<void> => {
    ending ??= (async () => {
      log(`ending (${why})`);
      server.close();
      if (fileIdentity(address.socket) === ours) {
        try {
          unlinkSync(address.socket);
        } catch {
          // already gone
        }
      }
      await indexes.closeAll();
      resolveDone(0);
    })();
    return ending;
  };

  if (!(await listen(server, address.socket))) {
    log('another resident process answers at this address: not starting a second');
    return 0;
  }
  ours = fileIdentity(address.socket);
  log(`serving searches at ${address.socket} (pid ${process.pid})`);
  armIdle();
  // A newer process that found this one unresponsive, or a cleaned temporary folder, leaves it unreachable: it ends.
  setInterval(() => {
    if (fileIdentity(address.socket) !== ours) void end('its socket was removed or taken over');
  }, SOCKET_CHECK_MS).unref();
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => void end(signal));
  return done;
}

/**
 * One command line, as `sourceline` would run it in a process of its own: its exit code, or
 * 'decline' for a command this process does not serve (the launcher then runs it itself).
 * `signal` is aborted when the client goes away (Ctrl+C there): a model's answer is stopped.
 */
async function runRequest(indexes: HeldIndexes, argv: readonly string[], cwd: string, output: CliOutput, signal: AbortSignal): Promise<number | 'decline'> {
  const args = parseCli(argv, cwd);
  if (args === 'help') {
    output.out(`${USAGE}\n`);
    return 0;
  }
  if (!isResidentCommand(args.command)) return 'decline';
  const entry = await indexes.acquire(args);
  for (const notice of entry.ws.takeNotices()) output.err(`sourceline: ${notice}\n`);
  try {
    await runServed(entry.ws, args, { output, freshen: () => indexes.freshen(entry), signal });
  } finally {
    for (const notice of entry.ws.takeNotices()) output.err(`sourceline: ${notice}\n`);
  }
  return 0;
}
