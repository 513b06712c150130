import * as path from 'node:path';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../src/engine/answer/answerer';
import { OpenAICompatibleProvider } from '../../src/engine/answer/providers/openaiCompatible';
import { Router } from '../../src/engine/answer/router';
import { draftCommitMessage, draftDocstring } from '../../src/engine/answer/houseStyle';
import { git } from '../helpers/git';
import type { Workspace } from '../../src/engine/workspace';
import { FakeOpenAI } from '../helpers/fakeOpenAI';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { openWorkspace } from '../helpers/workspace';
import { readChunks } from '../../src/engine/store/readChunks';

/** Eight secrets as they sit in ordinary source files (fakes with real shapes). */
const CONFIG = `/** Connects the billing service to its providers. */
export const billingConfig = {
  awsAccessKeyId: "AKIAZ7Q3LXWVN2PB4RTU",
  aws_secret_access_key: "q8Jx2LmP0vR7sT9uWyZ1aB3cD5eF7gH9iJ2kL4mN",
  githubToken: "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",
  stripe: "sk_live_51H8xQ2eZvKYlo2C9aB3cD5eF7gH9iJ2kL4mN",
  database: "postgres://billing:hunter2Secret@db.internal:5432/billing",
  slack: "https://hooks.slack.com/services/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",
};

/** The TLS key the billing service presents. */
export const billingTlsKey = \`-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB
aFDrBz9vFqU4yZ5Q3Yb7WJ9Xq2oqXbLXkG0RrJj4p0bRs6ZoKQQvZt3vL1mw==
-----END RSA PRIVATE KEY-----\`;
`;
const YAML = 'billing:\n  user: billing\n  password: yamlPassw0rd!\n';
const VALUES = [
  'AKIAZ7Q3LXWVN2PB4RTU', 'q8Jx2LmP0vR7sT9uWyZ1aB3cD5eF7gH9iJ2kL4mN', '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',
  'sk_live_51H8xQ2eZvKYlo2C9aB3cD5eF7gH9iJ2kL4mN', 'hunter2Secret', 'aZ9yX8wV7uT6sR5qP4oN3mL2', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn',
  'yamlPassw0rd!',
];

let server: FakeOpenAI;
let root: string;
let ws: Workspace;
let dbPath: string;

beforeEach(async () => {
  server = new FakeOpenAI([{ kind: 'stream', text: 'The billing service is configured in billingConfig [1].' }]);
  root = tempDir({ 'src/billing.ts': CONFIG, 'deploy/billing.yaml': YAML });
  dbPath = path.join(tempDir(), 'index.db');
  ws = openWorkspace([root], undefined, dbPath);
  await ws.update();
});

afterEach(async () => {
  ws.close();
  await server.stop();
});

describe('secrets inside ordinary files', () => {
  it('are never stored: chunk text and the lexical index hold markers instead', () => {
    const db = new Database(dbPath, { readonly: true });
    const stored = readChunks(db, db.prepare('SELECT id FROM chunks').pluck().all().map(Number)).map((c) => c.text).join('\n');
    expect(stored).toContain('«redacted: ');
    // The lexical index keeps no text, only its terms: none of them may be a piece of a secret.
    db.exec('CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, chunks_fts, row)');
    const terms = db.prepare('SELECT term FROM temp.terms WHERE length(term) >= 8').pluck().all().map(String);
    db.close();
    expect(terms.length).toBeGreaterThan(3);
    for (const value of VALUES) {
      expect(stored).not.toContain(value);
      for (const term of terms) expect(value.toLowerCase()).not.toContain(term);
    }
    expect(stored).toContain('«redacted: github-token»');
    expect(stored).toContain('«redacted: private-key»');
  });

  it('are never sent to the model, in any question', async () => {
    const baseUrl = await server.start();
    for (const question of ['how is billing configured', 'which key does the billing TLS use', 'what is the billing database password']) {
      await answerQuestion(ws, { question, knowledge: new OpenAICompatibleProvider({ baseUrl, model: 'm' }), houseStyle: null, router: new Router(ws.embedder) });
    }
    expect(server.requests.length).toBe(3);
    const sent = JSON.stringify(server.requests.map((r) => r.body));
    for (const value of VALUES) expect(sent).not.toContain(value);
    expect(sent).toContain('«redacted:');
  });

  it('are redacted from what Explain Selection, Write Docstring and Draft Commit Message send too', async () => {
    const baseUrl = await server.start();
    const knowledge = new OpenAICompatibleProvider({ baseUrl, model: 'm' });
    const file = path.join(root, 'src/billing.ts');
    await answerQuestion(ws, { question: 'explain this', knowledge, houseStyle: null, router: new Router(ws.embedder), focus: { absPath: file, startLine: 1, endLine: 16 } });
    await draftDocstring(ws, { absPath: file, line: 12 }, { knowledge, houseStyle: null });
    git(root, 'init', '-q');
    writeFileSync(path.join(root, 'src/deploy.ts'), 'export const deployToken = "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";\n');
    git(root, 'add', 'src/deploy.ts');
    await draftCommitMessage(ws, root, { knowledge, houseStyle: null });
    expect(server.requests.length).toBe(3);
    const sent = JSON.stringify(server.requests.map((r) => r.body));
    for (const value of VALUES) expect(sent).not.toContain(value);
  });

  it('keep citations of redacted lines checkable against the file on disk', async () => {
    const answer = await answerQuestion(ws, { question: 'billingConfig providers', knowledge: null, houseStyle: null, router: new Router(ws.embedder) });
    const cited = answer.citations.find((c) => c.path === 'src/billing.ts');
    expect(cited?.status).toBe('ok');
  });

  it('are listed, by line and rule, in status', () => {
    const status = ws.status();
    expect(status.redacted.map((r) => r.path)).toEqual(['deploy/billing.yaml', 'src/billing.ts']);
    expect(status.redacted[1]?.detail).toBe(
      'line 3: aws-access-key-id; line 4: aws-secret-access-key; line 5: github-token; line 6: live-payment-key; line 7: url-password; line 8: slack-incoming-webhook; line 12: private-key',
    );
    const db = path.join(tempDir(), 'i.db');
    expect(runCli(['index', '--root', root, '--db', db]).code).toBe(0);
    const cli = runCli(['status', '--root', root, '--db', db]);
    expect(cli.stdout).toContain('Secrets redacted (replaced by «redacted: …» before indexing): 2 files');
    expect(cli.stdout).toContain('deploy/billing.yaml: line 3: password-assignment');
  });
});
