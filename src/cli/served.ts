import type { Workspace } from '../engine/workspace';
import type { CliArgs } from './args';
import type { CommandContext } from './output';
import { runSearch } from './search';

/**
 * Runs a command the resident process can serve (resident/protocol.ts RESIDENT_COMMANDS), in
 * whichever process: its output and its index update go through `context`. False for any other.
 */
export async function runServed(ws: Workspace, args: CliArgs, context: CommandContext): Promise<boolean> {
  switch (args.command) {
    case 'search':
      await runSearch(ws, args, context.output, context.freshen);
      return true;
    // Answering commands load their modules when run: a search's start does not pay for them.
    case 'ask': {
      const { runAsk } = await import('./ask');
      await runAsk(ws, args, context);
      return true;
    }
    case 'docstring': {
      const { runDocstring } = await import('./ask');
      await runDocstring(ws, args, context);
      return true;
    }
    case 'commit-message': {
      const { runCommitMessage } = await import('./ask');
      await runCommitMessage(ws, args, context);
      return true;
    }
    default:
      return false;
  }
}
