import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { API_KEY_ENV, DEFAULT_SETTINGS } from '../shared/settings';
import { createError } from '../shared/errors';
import { isMcpClient, MCP_CLIENTS, type McpClient } from '../mcp/clientConfig';

export const COMMANDS = ['index', 'search', 'status', 'ask', 'docstring', 'commit-message', 'export-finetune', 'eval', 'mcp'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  readonly command: Command;
  readonly positional: readonly string[];
  readonly roots: readonly string[];
  readonly db: string | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly limit: number;
  readonly maxFileBytes: number;
  /** Embedding model (`--embedding-model`, or `--model` outside `ask`). */
  readonly embeddingModel: string | undefined;
  /** `ask`: the knowledge (chat) model and the house-style model endpoints. */
  readonly chat: ChatModelArgs | null;
  readonly style: ChatModelArgs | null;
  readonly showPrompt: boolean;
  readonly why: string | undefined;
  readonly update: boolean;
  /** `docstring`: the unit at this file and line. */
  readonly target: { readonly file: string; readonly line: number } | null;
  readonly maxCases: number;
  readonly finetune: { readonly task: 'docstring' | 'commit'; readonly out: string } | { readonly validate: string } | null;
  /** `mcp --print-config CLIENT`: print that client's configuration instead of serving. */
  readonly printConfig: McpClient | null;
}

export interface ChatModelArgs {
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey: string | undefined;
  /** `--answer-timeout` in milliseconds: one answer, retries included. */
  readonly deadlineMs: number;
}

export const USAGE = `Usage: sourceline <command> [options]

Commands:
  index                 build or update the index of the roots
  search "<query>"      hybrid (lexical + vector) search; updates the index first
  ask "<question>"      an answer with checked citations (sources only unless a model is configured)
  docstring --file F --line N
                        a doc comment for the unit at F:N in the house style
  commit-message        a commit message for the staged diff in the house style
  status                what is indexed, what was skipped and why, the model, the database size
  eval [--max-cases N]  retrieval quality on this repository: doc comment → function, commit → files;
                        lexical, vector and hybrid side by side
  export-finetune --task docstring|commit --out FILE
                        fine-tuning examples (OpenAI chat JSONL) mined from the repository;
                        --validate FILE checks a JSONL file instead
  mcp                   a Model Context Protocol server over stdio for coding agents (search_code,
                        find_symbol, read_range, index_status); keeps the index current while it runs
  mcp --print-config ${MCP_CLIENTS.join('|')}
                        the configuration that makes that client start the server

Options:
  --root DIR            a folder to index (repeatable; default: the current folder)
  --db FILE             the index database (default: in the user cache folder, keyed by the roots)
  --json                machine-readable output
  --limit N             number of results (search; default 10)
  --verbose             list every skipped file with its reason (status)
  --why PATH            explain whether and why PATH is excluded (status)
  --max-file-size BYTES files above this are skipped (default 1048576)
  --embedding-model M   embedding model (default: builtin); outside ask, --model means the same
  --base-url URL        ask: an OpenAI-compatible endpoint (Ollama, llama.cpp, vLLM, LM Studio, OpenAI, Azure)
  --model ID            ask: the knowledge model id at --base-url (key: $SOURCELINE_API_KEY)
  --style-base-url URL  ask: endpoint of a fine-tuned house-style model (default: --base-url)
  --style-model ID      ask: the house-style model id (key: $SOURCELINE_STYLE_API_KEY)
  --answer-timeout S    ask: longest time one answer may take, retries included (default 120)
  --show-prompt         ask: also print what the model was given
  --no-update           search without updating the index first
  -h, --help            this text`;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw createError('bad-arguments', `--${name} takes a positive whole number, not "${value}".`);
  return n;
}

/** Commands where `--model` names the chat model rather than the embedding model. */
const CHAT_COMMANDS: ReadonlySet<Command> = new Set(['ask', 'docstring', 'commit-message']);

function isCommand(value: string | undefined): value is Command {
  return COMMANDS.some((c) => c === value);
}

/** Parses and validates argv; throws a `bad-arguments` error with one clear line. */
export function parseCli(argv: readonly string[], cwd: string): CliArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: 'string', multiple: true },
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        limit: { type: 'string' },
        'max-file-size': { type: 'string' },
        model: { type: 'string' },
        'embedding-model': { type: 'string' },
        'base-url': { type: 'string' },
        'style-base-url': { type: 'string' },
        'style-model': { type: 'string' },
        'show-prompt': { type: 'boolean', default: false },
        'answer-timeout': { type: 'string' },
        why: { type: 'string' },
        task: { type: 'string' },
        file: { type: 'string' },
        line: { type: 'string' },
        out: { type: 'string' },
        validate: { type: 'string' },
        'max-cases': { type: 'string' },
        'no-update': { type: 'boolean', default: false },
        'print-config': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw createError('bad-arguments', `${error instanceof Error ? error.message : String(error)} (see sourceline --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return 'help';
  const [command, ...rest] = positionals;
  if (!isCommand(command)) throw createError('bad-arguments', `Unknown command "${command ?? ''}". Commands: ${COMMANDS.join(', ')} (see sourceline --help).`);
  if (command === 'search' && rest.join(' ').trim() === '') throw createError('bad-arguments', 'search needs a query: sourceline search "<query>"');
  if (command === 'ask' && rest.join(' ').trim() === '') throw createError('bad-arguments', 'ask needs a question: sourceline ask "<question>"');
  let target: CliArgs['target'] = null;
  if (command === 'docstring') {
    if (values.file === undefined) throw createError('bad-arguments', 'docstring needs --file FILE and --line N.');
    target = { file: path.resolve(cwd, values.file), line: positiveInt('line', values.line, 1) };
    if (!existsSync(target.file)) throw createError('bad-arguments', `The file ${target.file} does not exist.`);
  }
  const printConfig = values['print-config'] ?? null;
  if (printConfig !== null && (command !== 'mcp' || !isMcpClient(printConfig))) {
    throw createError('bad-arguments', `--print-config goes with mcp and takes one of ${MCP_CLIENTS.join(', ')}${command === 'mcp' ? `, not "${printConfig}"` : ''}.`);
  }
  const finetune = command === 'export-finetune' ? finetuneArgs(values.task, values.out, values.validate, cwd) : null;
  const deadlineMs = positiveInt('answer-timeout', values['answer-timeout'], DEFAULT_SETTINGS.answerTimeout) * 1000;
  const chat = chatModel(CHAT_COMMANDS.has(command) ? values.model : undefined, values['base-url'], API_KEY_ENV.knowledge, '--base-url', '--model', deadlineMs);
  const style = chatModel(values['style-model'], values['style-base-url'] ?? values['base-url'], API_KEY_ENV.houseStyle, '--style-base-url', '--style-model', deadlineMs);
  const roots = (values.root ?? [cwd]).map((r) => path.resolve(cwd, r));
  for (const root of roots) {
    if (!existsSync(root)) throw createError('root-missing', `The root folder ${root} does not exist.`);
    if (!statSync(root).isDirectory()) throw createError('root-missing', `The root ${root} is not a folder.`);
  }
  return {
    command,
    positional: rest,
    roots: [...new Set(roots)],
    db: values.db === undefined ? undefined : path.resolve(cwd, values.db),
    json: values.json,
    verbose: values.verbose,
    limit: positiveInt('limit', values.limit, 10),
    maxFileBytes: positiveInt('max-file-size', values['max-file-size'], 1024 * 1024),
    embeddingModel: embeddingModelOf(values['embedding-model'] ?? (CHAT_COMMANDS.has(command) ? undefined : values.model), cwd),
    chat,
    style,
    showPrompt: values['show-prompt'],
    why: values.why,
    update: !values['no-update'],
    finetune,
    target,
    maxCases: positiveInt('max-cases', values['max-cases'], 300),
    printConfig: printConfig !== null && isMcpClient(printConfig) ? printConfig : null,
  };
}

/** A model folder given relatively is the caller's (`cwd`), wherever the command runs (the resident process has its own folder). */
function embeddingModelOf(spec: string | undefined, cwd: string): string | undefined {
  if (spec === undefined || spec === '' || spec === 'builtin' || spec === 'hash') return spec;
  return path.resolve(cwd, spec);
}

function chatModel(model: string | undefined, baseUrl: string | undefined, keyVariable: string, urlFlag: string, modelFlag: string, deadlineMs: number): ChatModelArgs | null {
  if (model === undefined && baseUrl === undefined) return null;
  if (model === undefined) return null;
  if (baseUrl === undefined) throw createError('bad-arguments', `${modelFlag} needs ${urlFlag} (the endpoint, e.g. http://localhost:11434/v1).`);
  try {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw createError('bad-arguments', `${urlFlag} must be an http(s) URL, not "${baseUrl}".`);
  }
  return { baseUrl, model, apiKey: process.env[keyVariable], deadlineMs };
}

function finetuneArgs(task: string | undefined, out: string | undefined, validate: string | undefined, cwd: string): CliArgs['finetune'] {
  if (validate !== undefined) return { validate: path.resolve(cwd, validate) };
  if (task !== 'docstring' && task !== 'commit') throw createError('bad-arguments', 'export-finetune needs --task docstring or --task commit.');
  if (out === undefined) throw createError('bad-arguments', 'export-finetune needs --out FILE (the training set; the validation set goes beside it).');
  return { task, out: path.resolve(cwd, out) };
}
