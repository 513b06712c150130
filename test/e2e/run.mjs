// End-to-end tests in a real VS Code: code-server (VS Code 1.100's server build, a real extension host)
// driven by Playwright with Debian's Chromium. Run by `npm run test:e2e` (after `npm run build`).
import { execFileSync, spawn } from 'node:child_process';
import * as http from 'node:http';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, 'test', 'e2e', 'screenshots');
const results = [];

function log(message) {
  process.stderr.write(`[e2e] ${message}\n`);
}

async function waitFor(check, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a command from the palette (F1) and returns the quick input, ready for what the command asks. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title.replace(/^Sourceline: /, '') }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  return input;
}

/** Shows a workspace file: its tab if it has one, else Quick Open (with the focus in the editor area: a webview swallows Ctrl+P). */
async function openFile(page, name) {
  const tab = page.locator('.tab', { hasText: name }).first();
  if ((await tab.count()) > 0) {
    await tab.click();
    await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
    return;
  }
  await page.locator('.part.editor').first().click({ position: { x: 600, y: 400 } }).catch(() => undefined);
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

/** The chat panel's content frame (a webview view: an outer iframe, then the content frame). */
function chatFrame(page) {
  return page.frameLocator('iframe.webview.ready[src*="extensionId=sourceline.sourceline"]').frameLocator('#active-frame');
}

/**
 * A stand-in model server (OpenAI-compatible): `GET /v1/models` lists `ft:house` (the house-style
 * model, which replies `houseReply`) and `e2e-knowledge`, which streams a cited answer slowly (a
 * piece every 60 ms, so the suite can look at the panel mid-stream). A question containing
 * FAIL-ONCE gets a 404 the first time. Every chat request is kept in `requests`.
 */
async function startFakeModel(houseReply) {
  const requests = [];
  let failed = false;
  const knowledgeReply = (question) => [
    `The token is renewed by \`refreshSession\` [1], which adds an hour to the current time (src/session.ts:3-4).`,
    '',
    'A minimal call looks like this:',
    '',
    '```ts',
    'const renewed = refreshSession(token, Date.now());',
    '```',
    '',
    `Revoking is separate: \`revokeSession\` [2] only checks that the token is not empty. (${question.length} characters asked.)`,
    '',
    ...Array.from({ length: 14 }, (_, i) => `- Detail ${i + 1}: the expiry is computed from \`now\` each time the session is refreshed [1].`),
  ].join('\n');
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', async () => {
      if (req.method === 'GET' && req.url.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'e2e-knowledge' }, { id: 'ft:house' }] }));
        return;
      }
      if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
        res.writeHead(404).end('{"error":{"message":"not found"}}');
        return;
      }
      const parsed = JSON.parse(body);
      requests.push(parsed);
      const last = parsed.messages[parsed.messages.length - 1]?.content ?? '';
      if (last.includes('FAIL-ONCE') && !failed) {
        failed = true;
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"model not loaded"}}');
        return;
      }
      const house = parsed.model === 'ft:house';
      // A follow-up's rewrite into a standalone search query: answered at once.
      const rewrite = String(parsed.messages[0]?.content ?? '').includes('standalone search query');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const base = { id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1, model: parsed.model };
      // A knowledge answer starts after a pause, as a real model does: the panel says it is waiting for it.
      if (!house && !rewrite) await new Promise((r) => setTimeout(r, 1200));
      const commit = house && last.includes('Staged diff');
      const reply = commit ? 'Add the fiscal quarter ledger [1]\n\nCloses the fiscal quarter in one call [2].' : house ? houseReply : rewrite ? 'what refreshSession does once the session token has expired' : knowledgeReply(last);
      for (const piece of reply.split(/(?<=\s)/)) {
        res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
        if (!house && !rewrite) await new Promise((r) => setTimeout(r, 30));
      }
      res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, requests, baseUrl: `http://127.0.0.1:${server.address().port}/v1` };
}

async function step(name, run) {
  const started = Date.now();
  try {
    await run();
    results.push({ name, ok: true });
    log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false, error: String(error) });
    log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

async function main() {
  const entry = execFileSync('bash', [path.join(ROOT, 'scripts', 'e2e-setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sourceline-e2e-'));
  const workspace = path.join(tmp, 'workspace');
  cpSync(path.join(ROOT, 'test', 'fixtures', 'e2e-workspace'), workspace, { recursive: true });
  // A house-style reply as models write them: a preamble, a fence, a note with a citation — only the comment may reach the file.
  const houseModel = await startFakeModel('Here is the docstring in the house style:\n\n```python\n"""Applies a percentage discount to an amount."""\n```\n\nThis follows the other methods of the class [2].');
  // A repository with history, so Draft Commit Message has conventions to follow and a staged change to describe.
  const gitIn = (...args) => execFileSync('git', ['-C', workspace, ...args], { stdio: 'ignore' });
  gitIn('init', '-q');
  gitIn('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'add', '.');
  gitIn('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'Add session and billing modules');
  const userData = path.join(tmp, 'ud');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
    'extensions.autoCheckUpdates': false, 'extensions.ignoreRecommendations': true, 'security.workspace.trust.enabled': false,
    'sourceline.models.houseStyle.baseUrl': houseModel.baseUrl, 'sourceline.models.houseStyle.model': 'ft:house',
  }));
  for (const d of ['config', 'data', 'cache', 'tmp']) mkdirSync(path.join(tmp, d), { recursive: true });
  const port = 20000 + Math.floor(Math.random() * 20000);
  // The extension calls its language-model tools through vscode.lm.invokeTool once the index is ready and writes the results here (src/client/e2eProbe.ts).
  const lmToolsOut = path.join(tmp, 'lm-tools.json');
  const env = { ...process.env, SOURCELINE_E2E_LM_TOOLS: lmToolsOut, XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_DATA_HOME: path.join(tmp, 'data'), XDG_CACHE_HOME: path.join(tmp, 'cache'), TMPDIR: path.join(tmp, 'tmp') };
  // `--vsix FILE`: the packaged extension, installed as a user would, instead of this checkout.
  const vsixAt = process.argv.indexOf('--vsix');
  const vsixArg = process.argv[vsixAt + 1];
  // Without a file: the one `npm run package` built last (out/package-report.json).
  const vsix = vsixAt < 0 ? null : path.resolve(ROOT, vsixArg ?? JSON.parse(readFileSync(path.join(ROOT, 'out', 'package-report.json'), 'utf8')).vsix);
  if (vsix !== null) {
    log(`installing ${path.basename(vsix)}`);
    execFileSync(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'exts'), '--install-extension', vsix], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const server = spawn(process.execPath, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userData,
    '--extensions-dir', path.join(tmp, 'exts'), '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened', workspace], { env, detached: true, stdio: 'ignore' });
  let browser;
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 'code-server', 30_000);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    const page = await context.newPage();
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${ROOT}`]]);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}${vsix === null ? `&payload=${encodeURIComponent(payload)}` : ''}`);
    mkdirSync(SHOTS, { recursive: true });

    await step('the status bar reaches "Sourceline: ready"', async () => {
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.locator('.statusbar-item', { hasText: 'Sourceline: ready' }).first().waitFor({ timeout: 90_000 });
      await page.screenshot({ path: path.join(SHOTS, '1-ready.png') });
      // One Sourceline item in the status bar (no second progress item beside it).
      const items = await page.locator('.statusbar-item', { hasText: /Sourceline/ }).count();
      if (items !== 1) throw new Error(`${items} Sourceline items in the status bar`);
    });

    await step('Search Codebase finds a function and Enter opens the editor at its first line', async () => {
      const input = await runCommand(page, 'Sourceline: Search Codebase');
      await input.fill('refresh session token');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'refreshSession' }).first();
      await row.waitFor({ timeout: 15_000 });
      await page.screenshot({ path: path.join(SHOTS, '2-search.png') });
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'session.ts' }).waitFor({ timeout: 15_000 });
      // The range is highlighted (selected) and the cursor is on its first line.
      await page.locator('.statusbar-item', { hasText: /Ln 1, Col 1 \(\d+ selected\)/ }).first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, '3-opened.png') });
    });

    await step('the hover on a known symbol shows its definition link', async () => {
      await openFile(page, 'app.ts');
      const usage = page.locator('.monaco-editor .view-line span', { hasText: /^refreshSession$/ }).last();
      await usage.waitFor({ timeout: 15_000 });
      const hover = page.locator('.monaco-hover', { hasText: 'Sourceline' });
      await waitFor(async () => {
        await usage.hover();
        await page.waitForTimeout(700);
        return (await hover.count()) > 0 && (await hover.first().isVisible());
      }, 'the Sourceline hover', 20_000);
      const text = await hover.first().innerText();
      if (!/Defined in src\/session\.ts:1-\d+/.test(text)) throw new Error(`hover says: ${text}`);
      if (!text.includes('Explain with sources')) throw new Error(`the hover has no Explain link: ${text}`);
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(SHOTS, '4-hover.png') });
      // The hover's command link streams an explanation into the chat panel.
      await hover.first().locator('a', { hasText: 'Explain with sources' }).click();
      await chatFrame(page).locator('.question', { hasText: 'Explain `refreshSession`' }).waitFor({ timeout: 20_000 });
      await chatFrame(page).locator('.turn').last().locator('.answer-body .chip').first().waitFor({ timeout: 30_000 });
      await page.mouse.move(5, 400);
    });

    await step('Ask shows an answer with a citation chip, and clicking it opens the file at that line', async () => {
      // Ask… puts the keyboard in the panel's question box (no separate input box).
      await runCommand(page, 'Sourceline: Ask');
      const composer = chatFrame(page).locator('textarea#question');
      await waitFor(() => composer.evaluate((el) => el === document.activeElement), 'the question box to have the focus', 10_000);
      // The placeholder names this folder, not every repository alike.
      const placeholder = await composer.getAttribute('placeholder');
      if (!String(placeholder).startsWith('Ask about workspace ')) throw new Error(`the question box says: ${placeholder}`);
      await page.keyboard.type('how is the session token refreshed before it expires?');
      await page.keyboard.press('Enter');
      const frame = chatFrame(page);
      const turn = frame.locator('.turn', { hasText: 'how is the session token refreshed' }).last();
      const chip = turn.locator('.answer-body .chip').first();
      await chip.waitFor({ timeout: 30_000 });
      // The chip names the file as briefly as tells the answer's files apart; the full path is in its tooltip and accessible name.
      const label = (await chip.innerText()).trim();
      const full = await chip.getAttribute('data-path');
      const m = /^(.+):(\d+)-(\d+)$/.exec(full ?? '');
      if (m === null) throw new Error(`a chip is for ${full}`);
      // refreshSession's own lines (its file merges two small functions into one chunk).
      if (full !== 'src/session.ts:1-5' || label !== 'session.ts:1-5') throw new Error(`the first citation reads ${label} for ${full}, expected session.ts:1-5 for src/session.ts:1-5`);
      const name = await chip.getAttribute('aria-label');
      if (!/^Open Source 1: src\/session\.ts, lines 1-5/.test(name ?? '')) throw new Error(`the chip's accessible name is ${name}`);
      // The question and the start of its answer in view, for the screenshot the README shows.
      await turn.evaluate((node) => node.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, '5-chat.png') });
      // app.ts is the active editor now: the click must open session.ts at the cited range.
      await page.locator('.tab.active', { hasText: 'app.ts' }).waitFor({ timeout: 5_000 });
      await chip.click();
      await page.locator('.tab.active', { hasText: 'session.ts' }).waitFor({ timeout: 15_000 });
      await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${m[2]}, Col 1 \\(\\d+ selected\\)`) }).first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, '6-citation-opened.png') });
    });

    await step('a sources-only answer offers to configure a model, which opens its settings', async () => {
      const turn = chatFrame(page).locator('.turn', { hasText: 'how is the session token refreshed' }).last();
      await turn.locator('button', { hasText: 'Configure a Model' }).click({ timeout: 10_000 });
      await page.locator('.settings-editor').first().waitFor({ timeout: 10_000 });
      await page.locator('.settings-editor .setting-item-contents', { hasText: /Base Url/i }).first().waitFor({ timeout: 15_000 });
      await page.screenshot({ path: path.join(SHOTS, '5b-configure-model.png') });
    });

    await step('Write Docstring with a house-style model: Insert previews a diff, and Accept puts it under a multi-line Python signature, indented like the body', async () => {
      await openFile(page, 'billing.py');
      await page.locator('.monaco-editor .view-line', { hasText: 'return amount' }).first().click();
      await runCommand(page, 'Sourceline: Write Docstring in House Style');
      const turn = chatFrame(page).locator('.turn', { hasText: 'Write Docstring' }).last();
      await turn.locator('button', { hasText: 'Insert Docstring' }).waitFor({ timeout: 30_000 });
      // The turn is named after the method the engine documents, not the word under the cursor.
      await turn.locator('.question', { hasText: 'Write Docstring in House Style for `Billing.apply_discount` (src/billing.py:' }).waitFor({ timeout: 5_000 });
      // A draft makes no claims: no grounding line.
      if ((await turn.locator('.grounded').count()) !== 0) throw new Error('a docstring draft shows a grounding line');
      await turn.locator('button', { hasText: 'Insert Docstring' }).click({ timeout: 30_000 });
      // Nothing touches the file before the preview is accepted: a diff of the file with the docstring, and a question.
      await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 10_000 });
      if (readFileSync(path.join(workspace, 'src', 'billing.py'), 'utf8').includes('Applies a percentage')) throw new Error('the file changed before Accept');
      await page.screenshot({ path: path.join(SHOTS, '6b-docstring-preview.png') });
      await page.locator('.notifications-toasts .monaco-button', { hasText: 'Accept' }).first().click({ timeout: 10_000 });
      await page.locator('.tab.active', { hasText: 'billing.py' }).waitFor({ timeout: 10_000 });
      // The focus may still be in the chat's frame, which keeps keys to itself: back to the editor.
      await page.locator('.monaco-editor .view-line', { hasText: 'return amount' }).first().click();
      await page.keyboard.press('Control+S');
      const file = path.join(workspace, 'src', 'billing.py');
      await waitFor(async () => readFileSync(file, 'utf8').includes('Applies a percentage'), 'the docstring in billing.py', 10_000);
      const lines = readFileSync(file, 'utf8').split('\n');
      // The method, not the small class around it; below `) -> float:`, at the body's indentation.
      if (lines[5] !== '    ) -> float:' || lines[6] !== '        """Applies a percentage discount to an amount."""' || lines[7]?.trim().startsWith('return') !== true) {
        throw new Error(`billing.py reads:\n${lines.join('\n')}`);
      }
      // The model's preamble, fence and note stayed out of the file.
      const text = lines.join('\n');
      if (/Here is|```|This follows|\[2\]/.test(text)) throw new Error(`the model's prose reached billing.py:\n${text}`);
    });

    /** Polls Search Codebase until a row has `text`; returns how long it took. */
    async function searchUntil(query, text, timeoutMs) {
      const started = Date.now();
      const input = await runCommand(page, 'Sourceline: Search Codebase');
      await waitFor(async () => {
        await input.fill('');
        await input.fill(query);
        await page.waitForTimeout(200);
        return (await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).count()) > 0;
      }, `${text} in search results`, timeoutMs);
      const took = Date.now() - started;
      await page.keyboard.press('Escape');
      return took;
    }

    await step('typing in an editor makes the text searchable before saving, and saving keeps it (within 2 s)', async () => {
      await openFile(page, 'app.ts');
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('export const reconcileLedgerBalance = 42;\n');
      const unsaved = await searchUntil('reconcile ledger balance', 'reconcileLedgerBalance', 2_000);
      log(`unsaved edit searchable after ${unsaved} ms`);
      await page.locator('.tab.active', { hasText: 'app.ts' }).waitFor();
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('export const settleAccountsPayable = 7;\n');
      await page.keyboard.press('Control+S');
      await waitFor(async () => readFileSync(path.join(workspace, 'src', 'app.ts'), 'utf8').includes('settleAccountsPayable'), 'the save', 5_000);
      const saved = await searchUntil('settle accounts payable', 'settleAccountsPayable', 2_000);
      log(`saved edit searchable after ${saved} ms`);
    });

    await step('the status bar opens the index status, and a skipped file can be re-included', async () => {
      await page.locator('.statusbar-item', { hasText: 'Sourceline: ready' }).first().click();
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: '.env' }).first();
      await row.waitFor({ timeout: 15_000 });
      const text = await page.locator('.quick-input-list').innerText();
      if (!/files indexed/.test(text) || !/secret/.test(text)) throw new Error(`the status reads: ${text}`);
      await page.screenshot({ path: path.join(SHOTS, '7-status.png') });
      await row.click();
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: '.env is not indexed' });
      await toast.waitFor({ timeout: 10_000 });
      await toast.locator('.monaco-button', { hasText: 'Re-include' }).click();
      await waitFor(async () => readFileSync(path.join(workspace, '.sourcelineignore'), 'utf8').includes('!/.env'), '.sourcelineignore to re-include .env', 10_000);
      const took = await searchUntil('API_URL localhost', '.env', 10_000);
      log(`re-included file searchable after ${took} ms`);
    });

    await step('the conversation survives a window reload', async () => {
      await runCommand(page, 'Developer: Reload Window');
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.locator('.statusbar-item', { hasText: 'Sourceline: ready' }).first().waitFor({ timeout: 90_000 });
      // The panel comes back as it was (visible); clicking the icon of a visible view would hide it.
      if (!(await page.locator('.part.sidebar').isVisible())) await page.locator('.activitybar [aria-label^="Sourceline"]').first().click();
      await chatFrame(page).locator('.question', { hasText: 'how is the session token refreshed' }).waitFor({ timeout: 20_000 });
      await chatFrame(page).locator('.turn', { hasText: 'how is the session token refreshed' }).last().locator('.answer-body .chip').first().waitFor({ timeout: 10_000 });
      await chatFrame(page).locator('.turn', { hasText: 'Write Docstring' }).last().locator('button', { hasText: 'Insert Docstring' }).waitFor({ timeout: 10_000 });
    });

    await step('the language-model tools answer through vscode.lm.invokeTool with ranges, redacted reads and argument errors', async () => {
      const probe = await waitFor(() => JSON.parse(readFileSync(lmToolsOut, 'utf8')), 'the language-model tools probe', 60_000);
      const expectIn = (text, part, what) => {
        if (!String(text).includes(part)) throw new Error(`${what}: expected ${JSON.stringify(part)} in ${JSON.stringify(text).slice(0, 400)}`);
      };
      const names = [...probe.registered].sort().join(',');
      if (names !== 'sourceline_find_symbol,sourceline_index_status,sourceline_read_range,sourceline_search_code') throw new Error(`registered tools: ${names}`);
      expectIn(probe.results.sourceline_search_code, 'src/session.ts:1-10', 'search_code');
      expectIn(probe.results.sourceline_search_code, `${path.join(workspace, 'src', 'session.ts')}#L1-L10`, 'search_code file link');
      expectIn(probe.results.sourceline_find_symbol, 'src/session.ts:1-10', 'find_symbol definition');
      expectIn(probe.results.sourceline_find_symbol, 'src/app.ts', 'find_symbol usage');
      expectIn(probe.results.sourceline_read_range, '4|   return refreshSession(token, Date.now());', 'read_range');
      expectIn(probe.results.sourceline_index_status, 'files indexed', 'index_status');
      expectIn(probe.badArgument, 'endLine (2) is before startLine (9)', 'bad argument');
    });

    await step('a file written outside the editor is searchable after the watcher fires', async () => {
      writeFileSync(path.join(workspace, 'src', 'ledger.ts'), '/** Closes the fiscal quarter. */\nexport function closeFiscalQuarter(): number {\n  return 0;\n}\n');
      const took = await searchUntil('close fiscal quarter', 'closeFiscalQuarter', 10_000);
      log(`new file searchable after ${took} ms`);
    });

    await step('New Chat keeps the conversation in the history, which finds it by a question and opens it again', async () => {
      const frame = chatFrame(page);
      await runCommand(page, 'Sourceline: New Chat');
      await frame.locator('#conversation-title', { hasText: 'New conversation' }).waitFor({ timeout: 10_000 });
      if ((await frame.locator('.turn').count()) !== 0) throw new Error('New Chat left turns in the panel');
      // No knowledge model is set up in this suite: the empty chat offers the ways to get one.
      await frame.locator('#offers button', { hasText: 'Connect Ollama or Another Endpoint' }).waitFor({ timeout: 10_000 });
      await frame.locator('#model-state', { hasText: 'Sources only' }).waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, '10-empty-chat.png') });
      const input = await runCommand(page, 'Sourceline: Show Chat History');
      await input.fill('token refreshed');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'how is the session token refreshed' }).first();
      await row.waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, '11-history.png') });
      await page.keyboard.press('Enter');
      await frame.locator('.turn', { hasText: 'how is the session token refreshed' }).first().waitFor({ timeout: 10_000 });
      // Titled by its first question (the hover's Explain opened this conversation).
      await frame.locator('#conversation-title', { hasText: 'Explain `refreshSession`' }).waitFor({ timeout: 10_000 });
      await frame.locator('.turn', { hasText: 'Write Docstring' }).first().waitFor({ timeout: 10_000 });
    });

    if (vsix !== null) {
      await step('the installed extension\'s page shows its icon and the user guide, not developer commands', async () => {
        await page.locator('.activitybar [aria-label^="Extensions"]').first().click();
        await page.locator('.extensions-viewlet .suggest-input-container .monaco-editor').first().click({ timeout: 15_000 });
        await page.keyboard.type('@installed sourceline');
        await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Sourceline' }).first().click({ timeout: 15_000 });
        const header = page.locator('.extension-editor .header').first();
        await header.waitFor({ timeout: 15_000 });
        const icon = header.locator('img.icon').first();
        await waitFor(async () => (await icon.evaluate((img) => img.complete && img.naturalWidth)) >= 64, 'the extension icon', 15_000);
        // The README is drawn in a webview: find the frame that holds it.
        const readme = await waitFor(async () => {
          for (const f of page.frames()) {
            const body = await f.locator('body').innerText({ timeout: 500 }).catch(() => '');
            if (body.includes('Private by default')) return body;
          }
          return null;
        }, 'the user guide on the extension page', 20_000);
        const text = String(readme);
        if (/npm (install|test)/.test(text)) throw new Error('the extension page shows developer commands');
        await page.screenshot({ path: path.join(SHOTS, '12b-extension-page.png') });
        await page.locator('.tab.active', { hasText: 'Sourceline' }).locator('.codicon-close').click().catch(() => undefined);
        await page.locator('.activitybar [aria-label^="Sourceline"]').first().click();
        // The keyboard back to the workbench (a view that just opened may hold it).
        await page.locator('.part.editor').first().click({ position: { x: 600, y: 400 } }).catch(() => undefined);
      });
    }

    await step('the walkthrough opens from Sourceline: Get Started', async () => {
      await runCommand(page, 'Sourceline: Get Started');
      await page.locator('.gettingStartedContainer', { hasText: 'Get started with Sourceline' }).first().waitFor({ timeout: 15_000 });
      await page.locator('.gettingStartedContainer', { hasText: 'Have answers written by a model' }).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(SHOTS, '12-walkthrough.png') });
    });

    await step('the empty chat connects an OpenAI-compatible endpoint: its models are listed, picked, and shown in the panel', async () => {
      const frame = chatFrame(page);
      await runCommand(page, 'Sourceline: New Chat');
      await frame.locator('#offers button', { hasText: 'Connect Ollama or Another Endpoint' }).click({ timeout: 10_000 });
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Another OpenAI-compatible endpoint' }).first().click({ timeout: 10_000 });
      const input = page.locator('.quick-input-widget input');
      await input.fill(houseModel.baseUrl);
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'e2e-knowledge' }).first().click({ timeout: 15_000 });
      await frame.locator('#model-state', { hasText: 'e2e-knowledge at 127.0.0.1' }).waitFor({ timeout: 15_000 });
      if (!(await frame.locator('#offers').isHidden())) throw new Error('the offers to set up a model are still shown');
    });

    /** Types a question into the panel's box and sends it. */
    async function askInPanel(question) {
      const composer = chatFrame(page).locator('textarea#question');
      await composer.click();
      await composer.fill(question);
      await composer.press('Enter');
      return chatFrame(page).locator('.turn', { hasText: question }).last();
    }

    await step('citations are chips while the answer streams, and a reader who scrolled up is not pulled down', async () => {
      const turn = await askInPanel('how is the session token refreshed before it expires?');
      // Retrieval is done before the model's first word: the panel says so, with the sources found.
      await turn.locator('.waiting', { hasText: /Waiting for the model… \(\d+ sources? found\)/ }).waitFor({ timeout: 20_000 });
      await turn.locator('.waiting-sources .chip').first().waitFor({ timeout: 5_000 });
      // Mid-stream: the answer is still being written and its first citation is already a chip.
      await turn.locator('.answer.streaming .chip').first().waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(SHOTS, '13-streaming-chips.png') });
      const log = chatFrame(page).locator('#log');
      await log.evaluate((node) => { node.scrollTop = 0; });
      await page.waitForTimeout(1200);
      const stillStreaming = (await turn.locator('.answer.streaming').count()) > 0;
      const top = await log.evaluate((node) => node.scrollTop);
      if (!stillStreaming) throw new Error('the answer finished before the scroll could be checked');
      if (top > 4) throw new Error(`the panel scrolled to ${top} while the reader was at the top`);
      await turn.locator('.answer .grounded').waitFor({ timeout: 30_000 });
      const grounded = await turn.locator('.answer .grounded').innerText();
      if (!/^\d+ of \d+ claims? cites? lines that exist as quoted$/.test(grounded.trim())) throw new Error(`the grounding line reads: ${grounded}`);
      const route = await turn.locator('.route-model').innerText();
      if (!route.includes('e2e-knowledge')) throw new Error(`answered by ${route}`);
    });

    await step('a follow-up carries the previous turn: the model is sent the earlier question and answer', async () => {
      const before = houseModel.requests.length;
      const turn = await askInPanel('and what happens once it has expired?');
      await turn.locator('.answer .grounded').waitFor({ timeout: 40_000 });
      const sent = houseModel.requests.slice(before).find((r) => r.model === 'e2e-knowledge' && !String(r.messages[0]?.content).includes('standalone search query'));
      // The model rewrote the follow-up into a standalone query first, and the route says what was searched.
      await turn.locator('.route summary').click();
      const reason = await turn.locator('.route-reason').innerText();
      if (!reason.includes('searched as “what refreshSession does once the session token has expired”')) throw new Error(`the route's reason: ${reason}`);
      if (sent === undefined) throw new Error('the follow-up never reached the model');
      const earlier = sent.messages.slice(0, -1).map((m) => m.content).join('\n');
      if (!earlier.includes('how is the session token refreshed before it expires?')) throw new Error('the earlier question was not sent with the follow-up');
      if (!earlier.includes('adds an hour to the current time')) throw new Error('the earlier answer was not sent with the follow-up');
      await chatFrame(page).locator('#conversation-title', { hasText: 'how is the session token refreshed' }).waitFor({ timeout: 5_000 });
      await turn.evaluate((node) => node.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, '14-follow-up.png') });
    });

    await step('a code block is highlighted and has Copy, Insert and Wrap; Insert puts the code at the cursor of the editor', async () => {
      const block = chatFrame(page).locator('.turn').last().locator('.code-block').first();
      await block.locator('.hljs-title, .hljs-keyword, .hljs-string, .hljs-number').first().waitFor({ timeout: 10_000 });
      await block.locator('button', { hasText: 'Copy' }).waitFor({ timeout: 5_000 });
      const wrap = block.locator('button', { hasText: 'Wrap' });
      await wrap.click();
      if ((await wrap.getAttribute('aria-pressed')) !== 'false') throw new Error('Wrap did not toggle');
      await openFile(page, 'app.ts');
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      await block.locator('button', { hasText: 'Insert' }).click();
      await page.locator('.tab.active', { hasText: 'app.ts' }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+S');
      await waitFor(async () => readFileSync(path.join(workspace, 'src', 'app.ts'), 'utf8').includes('const renewed = refreshSession(token, Date.now());'), 'the inserted code in app.ts', 10_000);
    });

    await step('Draft Commit Message takes the staged change, and Use as Commit Message sets the message without citation markers', async () => {
      execFileSync('git', ['-C', workspace, 'add', 'src/ledger.ts'], { stdio: 'ignore' });
      await runCommand(page, 'Sourceline: Draft Commit Message');
      const turn = chatFrame(page).locator('.turn', { hasText: 'Draft Commit Message' }).last();
      await turn.locator('button', { hasText: 'Use as Commit Message' }).click({ timeout: 30_000 });
      // Sourceline shows the Source Control view with the message in its box.
      // The Source Control view's only editor is its message box.
      const box = page.locator('.part.sidebar .monaco-editor .view-lines').first();
      // Monaco draws spaces as no-break spaces.
      const text = async () => (await box.innerText()).replace(/\u00a0/g, ' ');
      await waitFor(async () => (await text()).includes('Add the fiscal quarter ledger'), 'the commit message in the Source Control input', 15_000);
      const message = await text();
      if (/\[\d\]/.test(message)) throw new Error(`the commit message keeps citation markers: ${message}`);
      await page.screenshot({ path: path.join(SHOTS, '15b-commit-message.png') });
      await page.locator('.activitybar [aria-label^="Sourceline"]').first().click();
    });

    await step('an endpoint error offers Retry and Open Settings, and Retry asks again', async () => {
      const turn = await askInPanel('FAIL-ONCE: where is the session revoked?');
      await turn.locator('button', { hasText: 'Retry' }).waitFor({ timeout: 40_000 });
      await turn.locator('button', { hasText: 'Open Settings' }).waitFor({ timeout: 5_000 });
      const notice = await turn.locator('.answer').innerText();
      if (!/no such model or endpoint \(404\)/.test(notice)) throw new Error(`the error reads: ${notice.slice(0, 300)}`);
      await page.screenshot({ path: path.join(SHOTS, '15-endpoint-error.png') });
      await turn.locator('button', { hasText: 'Retry' }).click();
      const again = chatFrame(page).locator('.turn', { hasText: 'FAIL-ONCE' }).nth(1);
      await again.locator('.route-model', { hasText: 'e2e-knowledge' }).waitFor({ timeout: 40_000 });
    });

    /** Picks a colour theme by the start of its name from Preferences: Color Theme. */
    async function colorTheme(name, workbenchClass) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.fill('>Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click({ timeout: 15_000 });
      await input.fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^${name}`) }).first().click({ timeout: 15_000 });
      await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: 15_000 });
    }

    await step('in a dark theme the panel takes the theme\'s colours', async () => {
      await colorTheme('Dark Modern', 'vs-dark');
      await page.waitForTimeout(800);
      const background = await chatFrame(page).locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
      const [r, g, b] = (background.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
      if (r + g + b > 200) throw new Error(`the panel's background in a dark theme is ${background}`);
      await chatFrame(page).locator('.turn').last().evaluate((node) => node.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(SHOTS, '16-dark.png') });
    });

    await step('in High Contrast, code in the chat panel stays readable (contrast at least 4.5:1)', async () => {
      await colorTheme('Dark High Contrast', 'hc-black');
      await page.waitForTimeout(1000);
      // Code, highlighted tokens included, and the chips.
      const ratios = await chatFrame(page).locator('.answer pre, .answer code, .source-snippet, .answer pre span[class^="hljs-"], .chip').evaluateAll((nodes) => nodes.slice(0, 40).map((n) => {
        const luminance = (color) => {
          const [r, g, b] = (color.match(/[\d.]+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number).map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        // The colour behind the text: the nearest ancestor with an opaque background.
        let at = n;
        let background = 'rgb(0, 0, 0)';
        while (at !== null) {
          const bg = getComputedStyle(at).backgroundColor;
          if (bg !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(bg)) { background = bg; break; }
          at = at.parentElement;
        }
        const [hi, lo] = [luminance(getComputedStyle(n).color), luminance(background)].sort((a, b) => b - a);
        return (hi + 0.05) / (lo + 0.05);
      }));
      await page.screenshot({ path: path.join(SHOTS, '9-high-contrast.png') });
      if (ratios.length === 0) throw new Error('no code in the chat panel to check');
      if (ratios.some((r) => r < 4.5)) throw new Error(`contrast ratios of code in the chat: ${ratios.map((r) => r.toFixed(1)).join(', ')}`);
      log(`code contrast in High Contrast: ${Math.min(...ratios).toFixed(1)}:1 at the least`);
    });
  } finally {
    // The last state of the workbench, whatever happened: the first thing to look at on a failure.
    const pages = browser?.contexts().flatMap((c) => c.pages()) ?? [];
    await pages[0]?.screenshot({ path: path.join(SHOTS, 'last.png') }).catch(() => undefined);
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    houseModel.server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main()
  .catch(() => undefined)
  .finally(() => {
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    process.stdout.write(`e2e: ${passed} passed, ${failed} failed\n`);
    process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
  });
