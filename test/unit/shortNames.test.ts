import { describe, expect, it } from 'vitest';
import { shortNames } from '../../src/webview/shortNames';

describe('citation chip labels', () => {
  it('name a file by its base name, and by as much of its folder as tells two apart', () => {
    const names = shortNames(['src/auth/session.ts', 'src/api/session.ts', 'src/app.ts', 'lib/a/b/index.ts', 'lib/c/b/index.ts', 'src/app.ts']);
    expect(Object.fromEntries(names)).toEqual({
      'src/auth/session.ts': 'auth/session.ts',
      'src/api/session.ts': 'api/session.ts',
      'src/app.ts': 'app.ts',
      'lib/a/b/index.ts': 'a/b/index.ts',
      'lib/c/b/index.ts': 'c/b/index.ts',
    });
    expect(shortNames(['README.md']).get('README.md')).toBe('README.md');
  });
});
