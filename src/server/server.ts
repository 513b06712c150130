import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createEmbedder } from '../engine/embed/createEmbedder';
import { bestSnippet } from '../engine/retrieve/snippet';
import type { Root } from '../engine/types';
import { DEFAULT_WALK_OPTIONS } from '../engine/walk/walk';
import { Workspace } from '../engine/workspace';
import { describe, isSourcelineError } from '../shared/errors';
import { IndexStateNotification, ReindexRequest, SearchRequest, StatusRequest, SymbolContextRequest, type InitializationOptions } from '../shared/protocol';
import type { IndexState, LocationWire } from '../shared/types';
import type { SearchHit } from '../engine/retrieve/search';
import { indexFolderName } from '../engine/store/indexKey';
import { readInitializationOptions } from './settings';
import { IndexThread } from './indexer';

/**
 * Sourceline's language server: one process per window, hosting the engine. It indexes the
 * workspace folders after `initialized` on its index thread (so searches are answered meanwhile), keeps the index current on saves and watched-file events
 * (many events at once — a branch switch — become one update), and serves `sourceline/*` requests.
 * Its log channel is `connection.console`.
 */
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let roots: Root[] = [];
let options: InitializationOptions = { storagePath: path.join(os.tmpdir(), 'sourceline') };
/** Serves searches on this thread (a WAL reader); the index thread is the one writer. */
let workspace: Workspace | null = null;
let indexThread: IndexThread | null = null;
let state: IndexState = 'starting';
let updating: Promise<void> | null = null;
let again = false;
let timer: NodeJS.Timeout | undefined;

/** How long to wait after a file event for more: a checkout fires hundreds. */
const DEBOUNCE_MS = 150;

function rootsFrom(params: InitializeParams): Root[] {
  const folders = params.workspaceFolders ?? (params.rootUri === null ? [] : [{ uri: params.rootUri, name: path.basename(fileURLToPath(params.rootUri)) }]);
  return folders.filter((f) => f.uri.startsWith('file:')).map((f) => ({ name: f.name, path: fileURLToPath(f.uri) }));
}

function setState(next: IndexState, filesDone = 0, filesTotal = 0, message: string | null = null): void {
  state = next;
  void connection.sendNotification(IndexStateNotification, { state, filesDone, filesTotal, message });
}

function toResponseError(error: unknown): ResponseError<void> {
  if (isSourcelineError(error)) return new ResponseError(1, error.message);
  connection.console.error(`unexpected: ${describe(error)}`);
  return new ResponseError(2, `Sourceline failed: ${describe(error)}. See the Sourceline output channel.`);
}

async function runUpdate(): Promise<void> {
  const thread = indexThread;
  if (thread === null) return;
  const progress = await connection.window.createWorkDoneProgress();
  progress.begin('Sourceline: indexing', 0, '', true);
  try {
    const summary = await thread.update((p) => {
      if (p.phase === 'indexing' || p.phase === 'embedding') {
        progress.report(p.filesTotal === 0 ? 0 : Math.round((100 * p.filesDone) / p.filesTotal), `${p.filesDone.toLocaleString('en-US')} / ${p.filesTotal.toLocaleString('en-US')} files`);
        if (p.filesDone % 200 === 0) setState('indexing', p.filesDone, p.filesTotal);
      }
    });
    for (const n of summary.notices) connection.console.warn(n);
    connection.console.info(`indexed ${summary.filesSeen} files (${summary.filesIndexed} changed, ${summary.filesDeleted} deleted) in ${summary.seconds.toFixed(2)} s`);
    setState('ready', summary.filesSeen, summary.filesSeen, summary.notices.length === 0 ? null : summary.notices.join(' '));
  } catch (error) {
    connection.console.error(`indexing failed: ${describe(error)}`);
    setState('error', 0, 0, `Indexing failed: ${describe(error)}`);
  } finally {
    progress.done();
  }
}

/** Runs one update at a time; events during an update schedule exactly one more. */
function scheduleUpdate(delay = DEBOUNCE_MS): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (updating !== null) {
      again = true;
      return;
    }
    updating = runUpdate().finally(() => {
      updating = null;
      if (again) {
        again = false;
        scheduleUpdate(0);
      }
    });
  }, delay);
}

connection.onInitialize((params) => {
  roots = rootsFrom(params);
  options = readInitializationOptions(params.initializationOptions, path.join(os.tmpdir(), 'sourceline'));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'sourceline' },
  };
});

connection.onInitialized(async () => {
  const dbPath = path.join(options.storagePath, indexFolderName(roots.map((r) => r.path)), 'index.db');
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_WALK_OPTIONS.maxFileBytes;
  try {
    // The index thread opens (verifies, migrates) the database first; then this thread reads it.
    const extraExcludes = options.exclude ?? [];
    const started = await IndexThread.start({ dbPath, roots, maxFileBytes, extraExcludes, ...(options.embeddingModel === undefined ? {} : { embeddingModel: options.embeddingModel }) });
    indexThread = started.thread;
    for (const n of started.notices) connection.console.warn(n);
    workspace = Workspace.open({ roots, dbPath, walk: { ...DEFAULT_WALK_OPTIONS, maxFileBytes, extraExcludes }, embedder: createEmbedder(options.embeddingModel) });
    connection.console.info(`index at ${dbPath}, model ${started.model}`);
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch(() => undefined);
    scheduleUpdate(0);
  } catch (error) {
    connection.console.error(`could not open the index: ${describe(error)}`);
    setState('error', 0, 0, isSourcelineError(error) ? error.message : describe(error));
  }
});

connection.onDidChangeWatchedFiles(() => scheduleUpdate());
documents.onDidSave(() => scheduleUpdate());

/** Where a hit is, on the wire: its display path and the absolute file the client opens. */
function locationOf(h: SearchHit): LocationWire {
  return { path: h.displayPath, file: path.join(h.rootPath, ...h.relPath.split('/')), startLine: h.startLine, endLine: h.endLine };
}

connection.onRequest(SearchRequest, async (params) => {
  if (workspace === null) return new ResponseError(1, 'The index is not open yet.');
  try {
    const limit = typeof params.limit === 'number' && Number.isInteger(params.limit) && params.limit > 0 ? Math.min(params.limit, 100) : 10;
    const outcome = await workspace.search(String(params.query), { limit });
    return {
      degraded: outcome.degraded,
      results: outcome.hits.map((h) => ({
        ...locationOf(h), symbol: h.symbol, score: h.score, snippet: bestSnippet(h.text, h.startLine, params.query).text, sources: h.sources,
      })),
    };
  } catch (error) {
    return toResponseError(error);
  }
});

/** Definitions (chunks named by the symbol) and usages elsewhere (chunks that mention it), 3 each. */
connection.onRequest(SymbolContextRequest, async (params) => {
  if (workspace === null) return { definitions: [], usages: [] };
  const symbol = String(params.symbol);
  if (!/^[A-Za-z_$][\w$]{2,}$/.test(symbol)) return { definitions: [], usages: [] };
  try {
    const { hits } = await workspace.search(symbol, { limit: 20, retrievers: ['lexical'] });
    const defines = (h: (typeof hits)[number]): boolean => h.symbol.split(/[,.]\s*|\s+/).includes(symbol);
    const mentions = new RegExp(`\\b${symbol.replace(/\$/g, '\\$')}\\b`);
    return {
      definitions: hits.filter(defines).slice(0, 3).map(locationOf),
      usages: hits.filter((h) => !defines(h) && mentions.test(h.text) && locationOf(h).file !== params.file).slice(0, 3).map(locationOf),
    };
  } catch (error) {
    return toResponseError(error);
  }
});

connection.onRequest(StatusRequest, () => {
  if (workspace === null) return { state, model: null, filesIndexed: 0, filesSkipped: 0, chunks: 0, dbBytes: 0, skipped: [] };
  const s = workspace.status();
  return { state, model: s.model, filesIndexed: s.filesIndexed, filesSkipped: s.filesSkipped, chunks: s.chunks, dbBytes: s.dbBytes, skipped: s.skipped };
});

connection.onRequest(ReindexRequest, () => {
  scheduleUpdate(0);
  return null;
});

connection.onShutdown(async () => {
  clearTimeout(timer);
  workspace?.close();
  workspace = null;
  await indexThread?.close();
  indexThread = null;
});

documents.listen(connection);
connection.listen();
