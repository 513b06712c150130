import * as path from 'node:path';
import { explainPath, DEFAULT_WALK_OPTIONS } from '../engine/walk/walk';
import { relativeInside } from '../engine/paths';
import { errorCode } from '../shared/errors';
import { parseCli, USAGE, type CliArgs } from './args';
import { formatEval, formatStatus } from './format';
import { updateIndex } from './updateIndex';
import { printMcpConfig } from './mcp';
import { reportFailure } from './failure';
import { dbPathOf, openWorkspace, rootsOf } from './openWorkspace';
import { PROCESS_OUTPUT, untilInterrupted } from './output';
import { limitHeapGrowth } from '../shared/mallocTuning';
import { runServed } from './served';
import { isResidentCommand } from './resident/protocol';
import { RESIDENT_COMMAND, startResident } from './resident/start';

/** The CLI's one log channel is stderr; stdout carries only results, so `--json` output pipes cleanly. */
function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function run(args: CliArgs): Promise<void> {
  if (args.command === 'mcp' && args.printConfig !== null) {
    process.stdout.write(`${printMcpConfig(args, args.printConfig)}\n`);
    return;
  }
  const ws = openWorkspace(args, args.command === 'index' || args.command === 'mcp');
  try {
    for (const notice of ws.takeNotices()) log(`sourceline: ${notice}`);
    if (isResidentCommand(args.command)) {
      const served = (signal: AbortSignal): Promise<boolean> => runServed(ws, args, { output: PROCESS_OUTPUT, freshen: () => updateIndex(ws, true), signal });
      // Ctrl+C stops an answer's model request; a search has none, and Ctrl+C ends it at once.
      if (args.command === 'search') await served(new AbortController().signal);
      else await untilInterrupted(served);
      return;
    }
    switch (args.command) {
      case 'index': {
        const summary = await updateIndex(ws, args.json);
        if (args.json) process.stdout.write(`${JSON.stringify(ws.status(), null, 2)}\n`);
        else process.stdout.write(`${summary}\n`);
        return;
      }
      case 'eval': {
        await updateIndex(ws, true);
        // Commands beyond searching and answering load their modules when run.
        const { runEval } = await import('../engine/eval/runEval');
        const report = await runEval(ws, { maxCases: args.maxCases, onProgress: (m) => log(`sourceline eval: ${m}`) });
        process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEval(report)}\n`);
        return;
      }
      case 'export-finetune': {
        const { runExportFinetune } = await import('./exportFinetune');
        await runExportFinetune(ws, args);
        return;
      }
      case 'mcp': {
        const { serveMcp } = await import('../mcp/server');
        await serveMcp(ws, log);
        return;
      }
      case 'status': {
        if (args.why !== undefined) {
          const roots = rootsOf(args);
          // An absolute path is explained by the root that holds it; a relative one is relative to the first root.
          const root = roots.find((r) => path.isAbsolute(args.why ?? '') && relativeInside(r.path, args.why ?? '') !== null) ?? roots[0];
          if (root !== undefined) process.stdout.write(`${await explainPath(root, args.why, DEFAULT_WALK_OPTIONS, roots)}\n`);
          const skipped = ws.status().skipped.find((s) => s.path === args.why);
          if (skipped !== undefined) process.stdout.write(`${skipped.path}: skipped at index time — ${skipped.reason} (${skipped.detail})\n`);
          return;
        }
        const status = ws.status();
        const dbPath = dbPathOf(args);
        if (args.json) process.stdout.write(`${JSON.stringify({ db: dbPath, ...status, skipped: args.verbose ? status.skipped : undefined }, null, 2)}\n`);
        else process.stdout.write(`${formatStatus(status, dbPath, args.verbose)}\n`);
        return;
      }
    }
  } finally {
    // Notices raised mid-command (an index found damaged, moved aside and rebuilt) are said too.
    for (const notice of ws.takeNotices()) log(`sourceline: ${notice}`);
    ws.close();
  }
}

async function main(): Promise<number> {
  // Set by the launcher already (the same value: the code cache stays valid); here for `node dist/cli.js`.
  limitHeapGrowth();
  const argv = process.argv.slice(2);
  if (argv[0] === RESIDENT_COMMAND) {
    // Loaded only here: no other command pays for the server's modules.
    const { serveResident } = await import('./resident/server');
    // Its indexes and watchers are closed by now; whatever else a model runtime left running must not keep it alive.
    process.exit(await serveResident(path.join(__dirname, 'cli.js')));
  }
  try {
    const args = parseCli(argv, process.cwd());
    if (args === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    await run(args);
    // The launcher found no resident process for this command: start one for the next (see resident/).
    if (isResidentCommand(args.command)) startResident(path.join(__dirname, 'cli.js'), path.join(__dirname, 'launch.js'));
    return 0;
  } catch (error) {
    return reportFailure(error, PROCESS_OUTPUT);
  }
}

// A reader that stops early (`sourceline search --json | head -c 1`) closes the pipe: that ends the
// command quietly, as for any Unix tool, instead of an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: unknown) => {
  if (errorCode(error) === 'EPIPE') process.exit(0);
  throw error;
});

void main().then((code) => {
  process.exitCode = code;
});
