import type { AnswerWire, SourceWire } from '../shared/types';
import { isToWebview, type ModelStateWire, type Turn } from '../shared/webviewProtocol';
import { sourceChip } from './chips';
import { button, byId, el, post, vscode } from './dom';
import { groundingSummary } from './grounding';
import { parseMarkdown } from './markdown';
import { citeContext, renderBlocks } from './render';

/**
 * The chat panel (DOM only). The extension owns the conversations and sends the current one here;
 * this script renders it, streams answers in, and posts the user's actions back. Answers become DOM
 * nodes via textContent only; the input draft survives a reload through getState/setState.
 */

const turns = new Map<string, Turn>();
/** Sources of answers still being written (they arrive before the model's first piece). */
const streamingSources = new Map<string, readonly SourceWire[]>();
let busy = false;
const pendingRender = new Set<string>();

const log = byId('log', HTMLElement);
const form = byId('ask', HTMLFormElement);
const input = byId('question', HTMLTextAreaElement);
const send = byId('send', HTMLButtonElement);
const stop = byId('stop', HTMLButtonElement);
const empty = byId('empty', HTMLElement);
const title = byId('conversation-title', HTMLHeadingElement);
const modelState = byId('model-state', HTMLSpanElement);
const offers = byId('offers', HTMLDivElement);
byId('offer-editor', HTMLButtonElement).addEventListener('click', () => post({ type: 'setupModel', choice: 'editor' }));
byId('offer-endpoint', HTMLButtonElement).addEventListener('click', () => post({ type: 'setupModel', choice: 'endpoint' }));
byId('offer-sources', HTMLButtonElement).addEventListener('click', () => post({ type: 'setupModel', choice: 'sourcesOnly' }));

/** Who answers, in the header; with none, the empty chat offers the ways to set one up (until the user keeps to sources). */
function showModels(state: ModelStateWire): void {
  modelState.textContent = state.withheld !== null ? 'Sources only (untrusted workspace)' : state.answering ?? 'Sources only';
  modelState.title = state.withheld ?? [
    `Questions: ${state.answering ?? 'no model — answers are the matching sources'}`,
    `Docstrings and commit messages: ${state.houseStyle ?? state.answering ?? 'no model — sources and examples only'}`,
  ].join('\n');
  offers.hidden = state.answering !== null || state.withheld !== null || state.sourcesOnlyChosen;
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

function groundingLine(a: AnswerWire): HTMLElement | null {
  const g = groundingSummary(a);
  if (g === null) return null;
  const line = el('div', `grounded ${g.good ? 'grounded-good' : 'grounded-weak'}`, g.text);
  line.title = g.tooltip;
  return line;
}

function sourcesList(a: AnswerWire): HTMLElement {
  const { root, body } = details(`Sources (${a.sources.length})`, 'sources', false);
  const ctx = citeContext(a.citations, a.sources);
  for (const s of a.sources) {
    const item = el('div', 'source');
    const head = el('div', 'source-head');
    head.append(el('span', 'source-n', `[${s.n}]`), sourceChip(s, ctx.names));
    if (s.symbol !== '') head.append(el('code', 'source-symbol', s.symbol.split(', ')[0] ?? s.symbol));
    const why = s.foundBy.length === 0 ? 'given' : `found by ${s.foundBy.join(' + ')}`;
    head.append(el('span', 'source-why', why));
    item.append(head, el('pre', 'source-snippet', s.snippet));
    body.append(item);
  }
  return root;
}

function promptView(a: AnswerWire): HTMLElement | null {
  const messages = a.prompt ?? [];
  // Conversations in the history keep their answers, not the prompts (ask again to see one).
  if (messages.length === 0) return null;
  const { root, body } = details('What the model was given', 'prompt', false);
  for (const m of messages) body.append(el('div', 'prompt-role', m.role), el('pre', 'prompt-content', m.content));
  return root;
}

const retryButton = (turn: Turn): HTMLButtonElement => button('Retry', 'action', () => post({ type: 'retry', id: turn.id }), 'Ask again');
const settingsButton = (label: string): HTMLButtonElement =>
  button(label, 'action', () => post({ type: 'configureModels' }), 'Settings: Sourceline › Models (endpoint, model id, timeout); API keys: Sourceline: Set API Key…');

function actions(turn: Turn): HTMLElement {
  const bar = el('div', 'actions');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Answer actions');
  bar.append(button('Copy', 'action', () => post({ type: 'copy', id: turn.id }), 'Copy the answer as Markdown'));
  if (turn.applyLabel !== null) bar.append(button(turn.applyLabel, 'action action-primary', () => post({ type: 'apply', id: turn.id })));
  const a = turn.answer;
  // A model failed: ask again, or fix its settings. No model answered at all: say where one is set up.
  if (a !== null && a.fallback !== null && a.fallback !== 'stopped by the user') bar.append(retryButton(turn), settingsButton('Open Settings'));
  else if (a !== null && a.route.role === 'sourcesOnly') bar.append(settingsButton('Configure a Model…'));
  return bar;
}

/** A draft (docstring, commit message) is shown as the text it is: Markdown would make ` * @param` lines bullets. */
function draftBody(text: string): HTMLElement {
  const pre = el('pre', 'draft');
  pre.append(el('code', undefined, text));
  return pre;
}

function streamingBody(turn: Turn, answer: HTMLElement): void {
  const sources = streamingSources.get(turn.id) ?? [];
  if (turn.streamed === '') {
    const waiting = sources.length === 0 ? 'Searching the index…' : `Waiting for the model… (${sources.length} ${sources.length === 1 ? 'source' : 'sources'} found)`;
    answer.append(el('div', 'waiting', waiting));
    if (sources.length > 0) {
      const chips = el('div', 'waiting-sources');
      const ctx = citeContext([], sources);
      for (const s of sources) chips.append(sourceChip(s, ctx.names));
      answer.append(chips);
    }
  } else if (turn.question.startsWith('Write Docstring') || turn.question.startsWith('Draft Commit Message')) {
    answer.append(draftBody(turn.streamed));
  } else {
    // Citations become chips as they stream in (from the sources, until the answer is checked).
    renderBlocks(answer, parseMarkdown(turn.streamed), citeContext([], sources));
  }
}

function renderTurn(turn: Turn): HTMLElement {
  const root = el('section', 'turn');
  root.dataset['id'] = turn.id;
  root.setAttribute('aria-label', turn.question);
  root.append(el('div', 'question', turn.question));
  const answer = el('div', 'answer');
  answer.setAttribute('aria-live', 'polite');
  if (turn.error !== null) {
    answer.append(el('div', 'error', turn.error));
    const bar = el('div', 'actions');
    if (turn.error !== 'Stopped.') bar.append(retryButton(turn), settingsButton('Open Settings'));
    answer.append(bar);
  } else if (turn.answer === null) {
    // Re-rendered every frame while it streams: screen readers wait for the finished answer.
    answer.setAttribute('aria-busy', 'true');
    answer.classList.add('streaming');
    streamingBody(turn, answer);
  } else {
    const a = turn.answer;
    answer.append(routeLine(a));
    // The sources-only fallback already says why in its first line: the notice would repeat it.
    if (a.fallback !== null && !a.answer.includes(a.fallback)) answer.append(el('div', 'notice', a.fallback));
    const body = el('div', 'answer-body');
    if (a.kind.type === 'ask' || a.route.role === 'sourcesOnly') renderBlocks(body, parseMarkdown(a.answer), citeContext(a.citations, a.sources));
    else body.append(draftBody(a.answer));
    answer.append(body);
    const grounded = groundingLine(a);
    if (grounded !== null) answer.append(grounded);
    answer.append(actions(turn), sourcesList(a));
    const prompt = promptView(a);
    if (prompt !== null) answer.append(prompt);
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
  // Keep the reader's place: replacing a node can move the scroll position.
  const top = log.scrollTop;
  if (existing === null) log.append(node);
  else existing.replaceWith(node);
  empty.hidden = turns.size > 0;
  if (follow) node.scrollIntoView({ block: 'end' });
  else log.scrollTop = top;
}

/** One render a frame however fast the pieces come. */
function scheduleRender(id: string): void {
  if (pendingRender.has(id)) return;
  pendingRender.add(id);
  requestAnimationFrame(() => {
    pendingRender.delete(id);
    const latest = turns.get(id);
    if (latest !== undefined && latest.answer === null && latest.error === null) show(latest);
  });
}

function showTitle(text: string): void {
  title.textContent = text === '' ? 'New conversation' : text;
  title.title = title.textContent;
}

function setBusy(next: boolean): void {
  busy = next;
  send.hidden = busy;
  stop.hidden = !busy;
}

function submit(): void {
  const question = input.value.trim();
  if (question === '' || busy) return;
  post({ type: 'ask', question });
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
    post({ type: 'stop' });
  }
});
input.addEventListener('input', () => vscode.setState({ draft: input.value }));
stop.addEventListener('click', () => post({ type: 'stop' }));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isToWebview(message)) return;
  switch (message.type) {
    case 'history':
      turns.clear();
      streamingSources.clear();
      log.replaceChildren();
      for (const t of message.turns) show(t);
      empty.hidden = message.turns.length > 0;
      showTitle(message.title);
      setBusy(message.busy);
      break;
    case 'turnStarted':
      showTitle(message.title);
      show(message.turn);
      setBusy(true);
      break;
    case 'sources':
      streamingSources.set(message.id, message.sources);
      scheduleRender(message.id);
      break;
    case 'delta': {
      const turn = turns.get(message.id);
      if (turn === undefined) break;
      turns.set(turn.id, { ...turn, streamed: turn.streamed + message.text });
      scheduleRender(turn.id);
      break;
    }
    case 'turnDone':
      streamingSources.delete(message.turn.id);
      show(message.turn);
      setBusy(false);
      break;
    case 'focusComposer':
      input.focus();
      break;
    case 'models':
      showModels(message.state);
      break;
  }
});

const saved = vscode.getState();
if (typeof saved === 'object' && saved !== null && 'draft' in saved && typeof saved.draft === 'string') input.value = saved.draft;
post({ type: 'ready' });
