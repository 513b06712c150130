import { describe, expect, it } from 'vitest';
import { analyzeQuery } from '../../src/engine/retrieve/query';
import { wordStem } from '../../src/engine/text/identifiers';

describe('query kinds', () => {
  it.each([
    ['FuzzyMatchV2', 'symbol'], ['where is BuildPattern defined', 'symbol'], ['EventBox Wait', 'symbol'], ['class Cache', 'symbol'],
    ['Jekyll::Regenerator', 'symbol'], ['Safelist.relaxed', 'symbol'], ['slugify', 'symbol'],
    ['how are routes to a server chosen across proxies', 'question'], ['history file', 'question'], ['Fix crash in LOADVN when stack grows', 'question'],
  ])('%s is a %s query', (text, kind) => {
    expect(analyzeQuery(text).kind).toBe(kind);
  });

  it('takes pasted issue text as long, with its paths and identifiers as evidence', () => {
    const issue = `## Describe the bug\nCalling parseConfig with an empty file throws. Steps to reproduce: run the test suite, see the docs example.\n\n` +
      `TypeError: Cannot read properties of undefined\n    at parseConfig (src/config/loader.ts:41:7)\n    at main (bin/cli.js:12:3)\n\n` +
      `## Expected behavior\nAn empty config should be treated like the default one, as the documentation says. Environment: node 20, macOS.`;
    const q = analyzeQuery(issue);
    expect(q.kind).toBe('long');
    expect(q.paths).toEqual(expect.arrayContaining(['src/config/loader.ts', 'bin/cli.js']));
    expect(q.identifiers).toContain('parseConfig');
    expect(q.locations).toEqual([{ path: 'src/config/loader.ts', line: 41 }, { path: 'bin/cli.js', line: 12 }]);
    // "test suite", "docs example" in an issue template are not requests for tests or docs.
    expect(q).toMatchObject({ wantsTests: false, wantsDocs: false, wantsExamples: false });
  });
});

describe('locations', () => {
  it('reads Python frames and path:line mentions, not URLs', () => {
    const q = analyzeQuery('Traceback (most recent call last):\n  File "/srv/app/black/linegen.py", line 512, in visit\n  see lib/x.rb:7 and https://example.com/a.html:80');
    expect(q.locations).toEqual([{ path: '/srv/app/black/linegen.py', line: 512 }, { path: 'lib/x.rb', line: 7 }]);
  });
});

describe('intent', () => {
  it.each([
    ['unit tests for the router', { wantsTests: true }],
    ['the tests of the tokenizer', { wantsTests: true }],
    ['inject artificial latency for chaos testing', { wantsTests: false }],
    ['test whether a path is ignored', { wantsTests: false }],
    ['readme section on install', { wantsDocs: true, wantsTests: false }],
    ['an example of a custom plugin', { wantsExamples: true, wantsDocs: false }],
    ['package the documentation as an EPUB book', { wantsDocs: false }],
    ['docs for the config loader', { wantsDocs: true }],
    ['where are the tests for the cache', { wantsTests: true }],
    ['parseConfig docs', { wantsDocs: true }],
    ['turn references in documentation into links', { wantsDocs: false }],
  ])('%s', (text, expected) => {
    expect(analyzeQuery(text)).toMatchObject(expected);
  });
});

describe('query words', () => {
  it('splits identifiers and drops stopwords, so they can meet file names', () => {
    expect(analyzeQuery('where is the RetryHelper used').words).toEqual(expect.arrayContaining(['retryhelper', 'retry', 'helper', 'used']));
    expect(analyzeQuery('where is the RetryHelper used').words).not.toContain('the');
  });

  it('meets plurals at their stem', () => {
    expect(['options', 'entries', 'class', 'status', 'map'].map(wordStem)).toEqual(['option', 'entry', 'class', 'status', 'map']);
  });

  it('does not take prose abbreviations or versions for paths', () => {
    expect(analyzeQuery('e.g. version 1.2.3, i.e. the default; see http://x.org').paths).toEqual([]);
  });
});
