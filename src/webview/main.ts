import type { AnswerWire, CitationWire, SourceWire } from '../shared/types';
import { isToWebview, type FromWebview, type Turn } from '../shared/webviewProtocol';
import { parseMarkdown, type Block, type Inline } from './markdown';

/**
 * The chat panel (DOM only). The extension owns the conversation and sends it here; this script
 * renders it, streams answers in, and posts the user's actions back. Answers become DOM nodes via
 * textContent only; the input draft survives a reload through getState/setState.
 */
interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const turns = new Map<string, Turn>();
let busy = false;
const pendingRender = new Set<string>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== undefined) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`missing #${id}`);
  return node;
}

const log = byId('log', HTMLElement);
const form = byId('ask', HTMLFormElement);
const input = byId('question', HTMLTextAreaElement);
const send = byId('send', HTMLButtonElement);
const stop = byId('stop', HTMLButtonElement);
const empty = byId('empty', HTMLDivElement);

/** A chip `path:start-end` that opens the editor at the range; its look says how the citation checked out. */
function chip(label: string, target: { file: string; startLine: number; endLine: number } | null, status: string, title: string): HTMLElement {
  const button = el('button', `chip chip-${status}`, label);
  button.type = 'button';
  button.title = title;
  if (target === null || target.file === '') {
    button.disabled = true;
  } else {
    button.addEventListener('click', () => vscode.postMessage({ type: 'open', ...target }));
  }
  return button;
}

const STATUS_WORDS: Readonly<Record<string, string>> = { ok: 'checked', moved: 'moved', stale: 'changed since indexing', invalid: 'not found' };

function citationChip(c: CitationWire): HTMLElement {
  const at = c.movedTo ?? { startLine: c.startLine, endLine: c.endLine };
  const label = `${c.path}:${at.startLine}-${at.endLine}`;
  return chip(label, c.status === 'invalid' ? null : { file: c.file, ...at }, c.status, `${STATUS_WORDS[c.status] ?? c.status}: ${c.detail}`);
}

function sourceChip(s: SourceWire): HTMLElement {
  return chip(`${s.path}:${s.startLine}-${s.endLine}`, s, 'source', `source [${s.n}]`);
}

function renderInlines(parent: HTMLElement, inlines: readonly Inline[], answer: AnswerWire | null): void {
  for (const inline of inlines) {
    if (inline.type === 'text') parent.append(document.createTextNode(inline.text));
    else if (inline.type === 'code') parent.append(el('code', undefined, inline.text));
    else if (inline.type === 'strong') parent.append(el('strong', undefined, inline.text));
    else if (inline.type === 'cite') {
      const citation = answer?.citations.find((c) => c.n === inline.n);
      const source = answer?.sources.find((s) => s.n === inline.n);
      if (citation !== undefined) parent.append(citationChip(citation));
      else if (source !== undefined) parent.append(sourceChip(source));
      else parent.append(document.createTextNode(`[${inline.n}]`));
    } else {
      const c = answer?.citations.find((x) => x.n === null && x.path === inline.path && x.startLine === inline.startLine);
      const s = answer?.sources.find((x) => x.path === inline.path);
      if (c !== undefined) parent.append(citationChip(c));
      else if (s !== undefined) parent.append(chip(inline.text, { file: s.file, startLine: inline.startLine, endLine: inline.endLine }, 'source', 'a range of a source'));
      else parent.append(document.createTextNode(inline.text));
    }
  }
}

function renderBlocks(parent: HTMLElement, blocks: readonly Block[], answer: AnswerWire | null): void {
  for (const block of blocks) {
    if (block.type === 'code') {
      const pre = el('pre');
      pre.append(el('code', block.language === '' ? undefined : `language-${block.language}`, block.text));
      parent.append(pre);
    } else if (block.type === 'list') {
      const list = el(block.ordered ? 'ol' : 'ul');
      for (const item of block.items) {
        const li = el('li');
        renderBlocks(li, item, answer);
        list.append(li);
      }
      parent.append(list);
    } else {
      const node = el(block.type === 'heading' ? 'h3' : block.type === 'quote' ? 'blockquote' : 'p');
      renderInlines(node, block.inlines, answer);
      parent.append(node);
    }
  }
}

function details(summary: string, className: string, open: boolean): { root: HTMLDetailsElement; body: HTMLElement } {
  const root = el('details', className);
  root.open = open;
  root.append(el('summary', undefined, summary));
  const body = el('div', 'details-body');
  root.append(body);
  return { root, body };
}

/** Who answered, on one line; why the router chose it, on demand. */
function routeLine(a: AnswerWire): HTMLElement {
  const who = a.route.role === 'sourcesOnly' ? 'Sources only' : `${a.route.model} · ${a.route.role === 'houseStyle' ? 'house-style model' : 'knowledge model'}`;
  const root = el('details', 'route');
  const summary = el('summary');
  summary.append(el('span', 'route-model', who), el('span', 'route-why', ' · why'));
  root.append(summary, el('div', 'route-reason', a.route.reason));
  return root;
}

function groundedness(a: AnswerWire): HTMLElement {
  const checked = a.citations.filter((c) => c.status === 'ok' || c.status === 'moved').length;
  const pct = Math.round(a.groundedness * 100);
  const badge = el('div', `grounded ${pct >= 80 ? 'grounded-good' : 'grounded-weak'}`, `Grounded ${pct}% · ${checked} of ${a.citations.length} citations check out`);
  if (a.unsupported.length > 0) badge.title = `Without a checked citation:\n${a.unsupported.join('\n')}`;
  return badge;
}

function sourcesList(a: AnswerWire): HTMLElement {
  const { root, body } = details(`Sources (${a.sources.length})`, 'sources', false);
  for (const s of a.sources) {
    const item = el('div', 'source');
    const head = el('div', 'source-head');
    head.append(el('span', 'source-n', `[${s.n}]`), sourceChip(s));
    if (s.symbol !== '') head.append(el('code', 'source-symbol', s.symbol.split(', ')[0] ?? s.symbol));
    const why = s.foundBy.length === 0 ? 'given' : `found by ${s.foundBy.join(' + ')}`;
    head.append(el('span', 'source-why', why));
    item.append(head, el('pre', 'source-snippet', s.snippet));
    body.append(item);
  }
  return root;
}

function promptView(a: AnswerWire): HTMLElement {
  const { root, body } = details('What the model was given', 'prompt', false);
  for (const m of a.prompt ?? []) {
    body.append(el('div', 'prompt-role', m.role), el('pre', 'prompt-content', m.content));
  }
  return root;
}

function actions(turn: Turn): HTMLElement {
  const bar = el('div', 'actions');
  const copy = el('button', 'action', 'Copy');
  copy.type = 'button';
  copy.addEventListener('click', () => vscode.postMessage({ type: 'copy', id: turn.id }));
  bar.append(copy);
  if (turn.applyLabel !== null) {
    const apply = el('button', 'action action-primary', turn.applyLabel);
    apply.type = 'button';
    apply.addEventListener('click', () => vscode.postMessage({ type: 'apply', id: turn.id }));
    bar.append(apply);
  }
  const a = turn.answer;
  // A model failed: ask again. No model answered at all: say where one is set up.
  if (a !== null && a.kind.type === 'ask' && a.fallback !== null && a.fallback !== 'stopped by the user') {
    const retry = el('button', 'action', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', () => vscode.postMessage({ type: 'retry', id: turn.id }));
    bar.append(retry);
  }
  if (a !== null && a.route.role === 'sourcesOnly') {
    const configure = el('button', 'action', 'Configure a Model…');
    configure.type = 'button';
    configure.title = 'Answers are sources only until a language model is set up (Settings: Sourceline › Models)';
    configure.addEventListener('click', () => vscode.postMessage({ type: 'configureModels' }));
    bar.append(configure);
  }
  return bar;
}

function renderTurn(turn: Turn): HTMLElement {
  const root = el('section', 'turn');
  root.dataset['id'] = turn.id;
  root.append(el('div', 'question', turn.question));
  const answer = el('div', 'answer');
  answer.setAttribute('aria-live', 'polite');
  if (turn.error !== null) {
    answer.append(el('div', 'error', turn.error));
  } else if (turn.answer === null) {
    // Re-rendered every frame while it streams: screen readers wait for the finished answer.
    answer.setAttribute('aria-busy', 'true');
    answer.classList.add('streaming');
    renderBlocks(answer, parseMarkdown(turn.streamed === '' ? 'Searching the index…' : turn.streamed), null);
  } else {
    const a = turn.answer;
    answer.append(routeLine(a));
    // The sources-only fallback already says why in its first line: the notice would repeat it.
    if (a.fallback !== null && !a.answer.includes(a.fallback)) answer.append(el('div', 'notice', a.fallback));
    const body = el('div', 'answer-body');
    renderBlocks(body, parseMarkdown(a.answer), a);
    answer.append(body, groundedness(a), actions(turn), sourcesList(a), promptView(a));
  }
  root.append(answer);
  return root;
}

/** Pixels from the end within which the reader counts as following the answer. */
const FOLLOW_SLACK = 32;

/** Whether the reader is at the end of the conversation (then streamed text keeps it in view). */
function following(): boolean {
  return log.scrollHeight - log.scrollTop - log.clientHeight <= FOLLOW_SLACK;
}

function show(turn: Turn): void {
  turns.set(turn.id, turn);
  const node = renderTurn(turn);
  const existing = log.querySelector(`section[data-id="${CSS.escape(turn.id)}"]`);
  // A new turn always comes into view; a streaming one only while the reader has not scrolled up to read.
  const follow = existing === null || following();
  if (existing === null) log.append(node);
  else existing.replaceWith(node);
  empty.hidden = turns.size > 0;
  if (follow) node.scrollIntoView({ block: 'end' });
}

function setBusy(next: boolean): void {
  busy = next;
  send.hidden = busy;
  stop.hidden = !busy;
}

function submit(): void {
  const question = input.value.trim();
  if (question === '' || busy) return;
  vscode.postMessage({ type: 'ask', question });
  input.value = '';
  vscode.setState({ draft: '' });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});
input.addEventListener('keydown', (event) => {
  // Enter asks, Shift+Enter is a new line; Escape stops a running answer.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  } else if (event.key === 'Escape' && busy) {
    vscode.postMessage({ type: 'stop' });
  }
});
input.addEventListener('input', () => vscode.setState({ draft: input.value }));
stop.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
byId('new-chat', HTMLButtonElement).addEventListener('click', () => vscode.postMessage({ type: 'newChat' }));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isToWebview(message)) return;
  switch (message.type) {
    case 'history':
      turns.clear();
      log.replaceChildren();
      for (const t of message.turns) show(t);
      empty.hidden = message.turns.length > 0;
      setBusy(message.busy);
      break;
    case 'turnStarted':
      show(message.turn);
      setBusy(true);
      break;
    case 'delta': {
      const turn = turns.get(message.id);
      if (turn === undefined) break;
      turns.set(turn.id, { ...turn, streamed: turn.streamed + message.text });
      // One render a frame however fast the pieces come.
      if (!pendingRender.has(turn.id)) {
        pendingRender.add(turn.id);
        requestAnimationFrame(() => {
          pendingRender.delete(turn.id);
          const latest = turns.get(turn.id);
          if (latest !== undefined && latest.answer === null) show(latest);
        });
      }
      break;
    }
    case 'turnDone':
      show(message.turn);
      setBusy(false);
      break;
    case 'focusComposer':
      input.focus();
      break;
  }
});

const saved = vscode.getState();
if (typeof saved === 'object' && saved !== null && 'draft' in saved && typeof saved.draft === 'string') input.value = saved.draft;
vscode.postMessage({ type: 'ready' });
