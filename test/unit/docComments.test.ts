import { describe, expect, it } from 'vitest';
import { splitDocComment } from '../../src/engine/text/docComments';

describe('splitDocComment', () => {
  it.each([
    ['/** Parses the config file. */\nexport function parse() {}', '/** Parses the config file. */'],
    ['/**\n * Parses the config\n * file from disk.\n */\nfunction parse() {}', '/**\n * Parses the config\n * file from disk.\n */'],
    ['/// Creates an empty cache for you.\npub fn new() -> Self {}', '/// Creates an empty cache for you.'],
    ['// ServeHTTP dispatches a request to the mux.\nfunc (s *Server) ServeHTTP() {}', '// ServeHTTP dispatches a request to the mux.'],
    ['/// <summary>Places an order now.</summary>\npublic int Place() {}', '/// <summary>Places an order now.</summary>'],
    ['def total(self):\n    """Sum of all line amounts."""\n    return 1', '    """Sum of all line amounts."""'],
    ['@property\ndef total(self):\n    """\n    Sum of all\n    line amounts.\n    """\n    return 1', '    """\n    Sum of all\n    line amounts.\n    """'],
  ])('finds the doc in %j', (text, doc) => {
    const split = splitDocComment(text);
    expect(split?.doc).toBe(doc);
    expect(split?.code).not.toContain(doc.trim().split('\n')[0]);
  });

  it.each([
    ['export function parse() {}'],
    ['#include <stdio.h>\nint main() {}'],
    ['// ok\nfunction f() {}'],
    ['/** Only a comment with words */'],
  ])('finds none in %j', (text) => {
    expect(splitDocComment(text)).toBeNull();
  });
});
