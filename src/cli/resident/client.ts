import * as net from 'node:net';
import type { CliOutput } from '../output';
import { LineReader, parseLine, RESIDENT_PROTOCOL, residentReply, type ResidentReply, type ResidentRequest } from './protocol';

/** A ping answered in this long means a live process: one busy longer than this is treated as gone. */
const PING_TIMEOUT_MS = 2_000;

/**
 * Sends one request and hands each reply to `onReply` until the process closes the connection;
 * resolves whether the connection was made at all (no socket, or nobody listening: false).
 */
function exchange(socket: string, request: ResidentRequest, onReply: (reply: ResidentReply) => void, timeoutMs?: number): Promise<boolean> {
  return new Promise((resolve) => {
    let connected = false;
    const connection = net.createConnection(socket);
    const reader = new LineReader();
    connection.setEncoding('utf8');
    if (timeoutMs !== undefined) connection.setTimeout(timeoutMs, () => connection.destroy());
    connection.on('connect', () => {
      connected = true;
      connection.write(`${JSON.stringify(request)}\n`);
    });
    connection.on('data', (chunk: string) => {
      for (const line of reader.push(chunk)) {
        const reply = parseLine(line, residentReply);
        if (reply !== null) onReply(reply);
      }
    });
    connection.on('error', () => undefined);
    connection.on('close', () => resolve(connected));
  });
}

/** Whether a resident process answers at `socket` (its pid), or null. */
export function residentPid(socket: string): Promise<number | null> {
  return askPid(socket, { kind: 'ping', v: RESIDENT_PROTOCOL });
}

async function askPid(socket: string, request: ResidentRequest): Promise<number | null> {
  const answer: { pid: number | null } = { pid: null };
  await exchange(socket, request, (reply) => {
    if ('pid' in reply) answer.pid = reply.pid;
  }, PING_TIMEOUT_MS);
  return answer.pid;
}

export async function connectionAnswers(socket: string): Promise<boolean> {
  return (await residentPid(socket)) !== null;
}

/** Asks the resident process at `socket` to end; resolves its pid, or null when none answered. */
export function stopResident(socket: string): Promise<number | null> {
  return askPid(socket, { kind: 'stop', v: RESIDENT_PROTOCOL });
}

/**
 * Runs the command line in the resident process at `socket`, writing its output to `output` as it comes;
 * resolves its exit code, or null when it must run in this process instead: no resident process,
 * a command it does not serve, or one that went away before saying anything.
 */
export async function runInResident(socket: string, argv: readonly string[], cwd: string, output: CliOutput): Promise<number | null> {
  const seen: { exit: number | null; declined: boolean; wrote: boolean } = { exit: null, declined: false, wrote: false };
  await exchange(socket, { kind: 'run', v: RESIDENT_PROTOCOL, argv: [...argv], cwd }, (reply) => {
    if ('out' in reply) {
      seen.wrote = true;
      output.out(reply.out);
    } else if ('err' in reply) {
      seen.wrote = true;
      output.err(reply.err);
    } else if ('exit' in reply) seen.exit = reply.exit;
    else if ('decline' in reply) seen.declined = true;
  });
  if (seen.exit !== null) return seen.exit;
  if (seen.declined || !seen.wrote) return null;
  // It ended halfway through a command: running it again here would print half of it twice.
  output.err('sourceline: the resident search process ended mid-search; run the command again (SOURCELINE_RESIDENT=0 runs every search in its own process)\n');
  return 1;
}

/** The pid of the resident process at `socket` once it answers (a process just started takes a moment), or an error after `timeoutMs`. */
export async function waitForResident(socket: string, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pid = await residentPid(socket);
    if (pid !== null) return pid;
    if (Date.now() > until) throw new Error(`no resident search process answered at ${socket} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
