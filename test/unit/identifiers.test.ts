import { describe, expect, it } from 'vitest';
import { expandIdentifiers, identifierParts, words } from '../../src/engine/text/identifiers';
import { analyzeQuery } from '../../src/engine/retrieve/query';

describe('identifier-aware text', () => {
  it.each([
    ['parseHTTPResponse', ['parse', 'http', 'response']],
    ['getUserById', ['get', 'user', 'by', 'id']],
    ['get_user_by_id', ['get', 'user', 'by', 'id']],
    ['XMLHttpRequest', ['xml', 'http', 'request']],
    ['base64Encode', ['base', '64', 'encode']],
    ['$scope', []],
    ['plain', []],
    ['SCREAMING_CASE', ['screaming', 'case']],
  ])('%s splits into %j', (id, parts) => {
    expect(identifierParts(id)).toEqual(parts);
  });

  it('keeps the whole identifier beside its parts for the full-text index', () => {
    expect(expandIdentifiers('return parseHTTPResponse(raw)')).toBe('return parseHTTPResponse parse http response(raw)');
  });

  it('gives embedders words with parts', () => {
    expect(words('getUserById(id)')).toEqual(['getuserbyid', 'get', 'user', 'by', 'id', 'id']);
  });
});

describe('query analysis', () => {
  it('drops question noise but keeps identifiers and their parts', () => {
    const q = analyzeQuery('where is the parseHTTPResponse function defined?');
    expect(q.match).toBe('"parsehttpresponse" OR "parse" OR "http" OR "response"');
    expect(q.identifiers).toEqual(['parseHTTPResponse']);
  });

  it('searches a lone stopword rather than nothing', () => {
    expect(analyzeQuery('use').match).toBe('"use"');
  });

  it('escapes quotes so no query is an FTS5 syntax error', () => {
    expect(analyzeQuery('say "hi" AND NOT').match).toBe('"say" OR "hi" OR "not"');
  });

  it('notices when tests or docs are asked for', () => {
    expect(analyzeQuery('unit tests for the router')).toMatchObject({ wantsTests: true, wantsDocs: false });
    expect(analyzeQuery('readme section on install')).toMatchObject({ wantsTests: false, wantsDocs: true });
  });
});
