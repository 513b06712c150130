import { answerQuestion } from '../engine/answer/answerer';
import { OpenAICompatibleProvider } from '../engine/answer/providers/openaiCompatible';
import { Router } from '../engine/answer/router';
import type { Answer, ChatProvider } from '../engine/answer/types';
import { answerReport } from '../engine/answer/report';
import type { Workspace } from '../engine/workspace';
import type { ChatModelArgs, CliArgs } from './args';
import type { CommandContext } from './output';
import { draftCommitMessage, draftDocstring } from '../engine/answer/houseStyle';
import { createError } from '../shared/errors';
import type { DocPlacement } from '../shared/types';

function provider(args: ChatModelArgs | null): ChatProvider | null {
  return args === null ? null : new OpenAICompatibleProvider({ baseUrl: args.baseUrl, model: args.model, deadlineMs: args.deadlineMs, ...(args.apiKey === undefined ? {} : { apiKey: args.apiKey }) });
}

function footer(answer: Answer): string {
  const lines = ['', 'Citations:'];
  if (answer.citations.length === 0) lines.push('  (none)');
  for (const c of answer.citations) {
    const moved = c.movedTo === undefined ? '' : ` → now ${c.movedTo.startLine}-${c.movedTo.endLine}`;
    lines.push(`  ${c.n === null ? '   ' : `[${c.n}]`} ${c.path}:${c.startLine}-${c.endLine} ${c.status}${moved}`);
  }
  lines.push(`Route: ${answer.route.role} (${answer.route.model}) — ${answer.route.reason}`);
  lines.push(`Groundedness: ${answer.groundedness}${answer.sentences.some((s) => !s.supported) ? ` (${answer.sentences.filter((s) => !s.supported).length} sentence(s) without a checked citation)` : ''}`);
  return lines.join('\n');
}

type Runner<A extends Answer> = (providers: { knowledge: ChatProvider | null; houseStyle: ChatProvider | null; signal: AbortSignal; onDelta: (piece: string) => void }) => Promise<A>;

/** What a command adds to the answer's report: JSON fields and a line after the footer. */
type Extra<A extends Answer> = (answer: A) => { readonly json: Readonly<Record<string, unknown>>; readonly text: string };

/** Runs an answer-producing command with the configured models, streaming its answer as it comes. */
async function runAnswering<A extends Answer>(args: CliArgs, context: CommandContext, run: Runner<A>, extra?: Extra<A>): Promise<void> {
  const { output } = context;
  if (args.update) {
    const summary = await context.freshen();
    if (!args.json) output.err(`${summary}\n`);
  }
  let streamed = false;
  const answer = await run({
    knowledge: provider(args.chat),
    houseStyle: provider(args.style),
    signal: context.signal,
    onDelta: (piece) => {
      if (args.json) return;
      streamed = true;
      output.out(piece);
    },
  });
  if (answer.fallback !== null && !args.json) output.err(`sourceline: ${answer.fallback}\n`);
  if (args.json) {
    output.out(`${JSON.stringify({ ...answerReport(answer, args.showPrompt), ...extra?.(answer).json }, null, 2)}\n`);
    return;
  }
  if (!streamed || answer.route.role === 'sourcesOnly') output.out(streamed ? `\n\n${answer.text}` : answer.text);
  output.out(`\n${footer(answer)}\n`);
  if (extra !== undefined) output.out(`${extra(answer).text}\n`);
  if (args.showPrompt && answer.prompt !== null) {
    output.out(`\nWhat the model was given:\n${answer.prompt.messages.map((m) => `--- ${m.role}\n${m.content}`).join('\n')}\n`);
  }
}

export function runAsk(ws: Workspace, args: CliArgs, context: CommandContext): Promise<void> {
  return runAnswering(args, context, (p) => answerQuestion(ws, { question: args.positional.join(' '), router: new Router(ws.embedder), ...p }));
}

function placementText(placement: DocPlacement | null): string {
  if (placement === null) return 'Goes: nowhere without reformatting (a one-line definition has no place for a docstring).';
  const old = placement.replaces;
  const where = old === null ? `before line ${placement.line}` : `in place of lines ${old.startLine}-${old.endLine} (the current doc comment)`;
  return `Goes: ${where}, indented ${JSON.stringify(placement.indent)}.`;
}

export function runDocstring(ws: Workspace, args: CliArgs, context: CommandContext): Promise<void> {
  const target = args.target;
  if (target === null) throw createError('bad-arguments', 'docstring needs --file FILE and --line N.');
  return runAnswering(args, context, (p) => draftDocstring(ws, { absPath: target.file, line: target.line }, p), (draft) => ({ json: { placement: draft.placement }, text: placementText(draft.placement) }));
}

export function runCommitMessage(ws: Workspace, args: CliArgs, context: CommandContext): Promise<void> {
  const root = ws.config.roots[0];
  if (root === undefined) throw createError('bad-arguments', 'commit-message needs a root folder.');
  return runAnswering(args, context, (p) => draftCommitMessage(ws, root.path, p));
}
