import { rmSync } from 'node:fs';
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
import { indexFolderName } from '../engine/store/indexKey';
import { moveAsideAndRecreate } from '../engine/store/openDatabase';
import type { Root } from '../engine/types';
import { DEFAULT_WALK_OPTIONS, type WalkOptions } from '../engine/walk/walk';
import { Workspace } from '../engine/workspace';
import { describe, isSourcelineError } from '../shared/errors';
import { IndexControlRequest, IndexStateNotification, ModelsNotification, ReincludeRequest, ReindexRequest, type InitializationOptions } from '../shared/protocol';
import type { IndexState } from '../shared/types';
import { registerAgentTools } from './agentTools';
import { registerAnswers } from './answers';
import { IndexController } from './indexController';
import { IndexThread, UpdateCancelled } from './indexer';
import { EditorModels, modelsFrom, NO_MODELS, type Models } from './models';
import { registerQueries } from './queries';
import { reinclude } from './reinclude';
import { readInitializationOptions } from './settings';
import { limitHeapGrowth } from '../shared/mallocTuning';

/**
 * Sourceline's language server: one process per window, hosting the engine. It indexes the
 * workspace folders after `initialized` on its index thread (so searches are answered meanwhile),
 * keeps the index current on saves, watched-file events and unsaved edits in open editors (many
 * events at once — a branch switch — become one update), and serves `sourceline/*` requests.
 * Its log channel is `connection.console`.
 */
// Before anything allocates: the index thread's isolate takes the same limit (mallocTuning.ts).
limitHeapGrowth();
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const editorModels = new EditorModels(connection);

let roots: Root[] = [];
let options: InitializationOptions = { storagePath: path.join(os.tmpdir(), 'sourceline') };
let dbPath = '';
let walk: WalkOptions = DEFAULT_WALK_OPTIONS;
/** Serves searches on this thread (a WAL reader); the index thread is the one writer. */
let workspace: Workspace | null = null;
let indexThread: IndexThread | null = null;
let models: Models = NO_MODELS;
let state: IndexState = 'starting';

function setState(next: IndexState, filesDone = 0, filesTotal = 0, message: string | null = null): void {
  state = next;
  void connection.sendNotification(IndexStateNotification, { state, filesDone, filesTotal, message });
}

/** Owns the update state: one update at a time, coalescing, partial runs, pause (indexController.ts). */
const controller = new IndexController({
  overlays: () => overlays(),
  knownFiles: () => workspace?.knownFiles() ?? null,
  setState,
  log: connection.console,
  isCancelled: (error) => error instanceof UpdateCancelled,
});

function rootsFrom(params: InitializeParams): Root[] {
  const folders = params.workspaceFolders ?? (params.rootUri === null ? [] : [{ uri: params.rootUri, name: path.basename(fileURLToPath(params.rootUri)) }]);
  return folders.filter((f) => f.uri.startsWith('file:')).map((f) => ({ name: f.name, path: fileURLToPath(f.uri) }));
}

let recovering: Promise<void> | null = null;

/**
 * A damaged index found by a query on this thread: the index thread (the one writer) is stopped,
 * the file moved aside (never deleted) and a new index built — not two writers racing on one file.
 */
function recoverIndex(cause: unknown): void {
  recovering ??= (async () => {
    await closeIndex();
    const notice = moveAsideAndRecreate(dbPath, cause);
    connection.console.warn(notice);
    setState('starting', 0, 0, notice);
    await openIndex();
  })().finally(() => {
    recovering = null;
  });
}

function toResponseError(error: unknown): ResponseError<void> {
  if (isSourcelineError(error, 'index-corrupt')) {
    recoverIndex(error.causeDetail ?? error.message);
    return new ResponseError(1, 'The index was damaged: it was moved aside and is being rebuilt. Try again in a moment.');
  }
  if (isSourcelineError(error)) return new ResponseError(1, error.message);
  connection.console.error(`unexpected: ${describe(error)}`);
  return new ResponseError(2, `Sourceline failed: ${describe(error)}. See the Sourceline output channel.`);
}

/** Open editors' texts (saved or not) by absolute path: the index shows what the user sees. */
function overlays(): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of documents.all()) if (d.uri.startsWith('file:')) out.set(fileURLToPath(d.uri), d.getText());
  return out;
}

/** Opens the index: the index thread first (it verifies and migrates the file), then this thread's reader. */
async function openIndex(): Promise<void> {
  try {
    const started = await IndexThread.start({ dbPath, roots, walk, ...(options.embeddingModel === undefined ? {} : { embeddingModel: options.embeddingModel }) });
    indexThread = started.thread;
    for (const n of started.notices) connection.console.warn(n);
    workspace = Workspace.open({ roots, dbPath, walk, embedder: createEmbedder(options.embeddingModel), recover: false });
    connection.console.info(`index at ${dbPath}, model ${started.model}`);
    controller.attach(started.thread);
  } catch (error) {
    connection.console.error(`could not open the index: ${describe(error)}`);
    setState('error', 0, 0, isSourcelineError(error) ? error.message : describe(error));
  }
}

async function closeIndex(): Promise<void> {
  await controller.detach();
  workspace?.close();
  workspace = null;
  await indexThread?.close();
  indexThread = null;
}

connection.onInitialize((params) => {
  roots = rootsFrom(params);
  options = readInitializationOptions(params.initializationOptions, path.join(os.tmpdir(), 'sourceline'));
  dbPath = path.join(options.storagePath, indexFolderName(roots.map((r) => r.path)), 'index.db');
  walk = { ...DEFAULT_WALK_OPTIONS, maxFileBytes: options.maxFileBytes ?? DEFAULT_WALK_OPTIONS.maxFileBytes, extraExcludes: options.exclude ?? [], extraIncludes: options.include ?? [] };
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      workspace: { workspaceFolders: { supported: true } },
    },
    serverInfo: { name: 'sourceline' },
  };
});

connection.onInitialized(async () => {
  void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).catch(() => undefined);
  await openIndex();
});

/** A changed path (file or folder) to decide in the next update, without walking the rest. */
function pathChanged(uri: string, typing = false): void {
  if (uri.startsWith('file:')) controller.pathChanged(fileURLToPath(uri), typing);
}

// The watcher reports files and folders created, changed or deleted (a checkout: hundreds at once).
connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) pathChanged(change.uri);
});
documents.onDidSave((e) => pathChanged(e.document.uri));
documents.onDidChangeContent((e) => pathChanged(e.document.uri, true));
// Closing an editor with unsaved changes: the index goes back to the file on disk.
documents.onDidClose((e) => pathChanged(e.document.uri));

connection.onNotification(ModelsNotification, (params) => {
  models = modelsFrom(params, editorModels, (m) => connection.console.warn(m));
  const describeRole = (p: Models['knowledge']): string => (p === null ? 'none' : p.label);
  connection.console.info(`models: knowledge ${describeRole(models.knowledge)}, house style ${describeRole(models.houseStyle)}${models.withheld === null ? '' : ` (withheld: ${models.withheld})`}`);
});

const queries = { connection, workspace: () => workspace, state: () => state, toResponseError };
registerQueries(queries);
registerAgentTools(queries);
registerAnswers({ connection, workspace: () => workspace, models: () => models, editorModels, toResponseError });

connection.onRequest(ReindexRequest, () => {
  controller.reindex();
  return null;
});

connection.onRequest(IndexControlRequest, async (params) => {
  if (params.action === 'pause') {
    await controller.pause();
    setState('paused', 0, 0, 'Indexing is paused: search answers from what is indexed. Resume with "Sourceline: Resume Indexing".');
  } else if (params.action === 'resume') {
    controller.resume();
  } else if (params.action !== 'clear') {
    return new ResponseError(1, `Unknown index action ${JSON.stringify(params.action)}: use pause, resume or clear.`);
  } else {
    // Clear: the index files go, and a fresh index is built from scratch.
    await closeIndex();
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
    connection.console.info(`cleared the index at ${dbPath}`);
    controller.resume();
    setState('starting');
    await openIndex();
  }
  return null;
});

connection.onRequest(ReincludeRequest, async (params) => {
  const root = workspace?.status().roots.find((r) => r.name === params.root || r.path === params.root);
  if (root === undefined) return new ResponseError(1, `${String(params.root)} is not an indexed folder.`);
  try {
    const message = await reinclude(root.path, String(params.path));
    controller.reindex();
    return message;
  } catch (error) {
    return toResponseError(error);
  }
});

connection.onShutdown(closeIndex);

documents.listen(connection);
connection.listen();
