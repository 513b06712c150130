/**
 * A path glob as agents write them: `**` any folders, `*` any characters but `/`, `?` one, `{a,b}`
 * alternatives. A pattern without a `/` matches the file name in any folder (`*.py`).
 */
export function globMatcher(glob: string): (relPath: string) => boolean {
  const pattern = glob.trim().replace(/^\.\//, '');
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') source += '(?:';
    else if (c === '}') source += ')';
    else if (c === ',' && pattern.lastIndexOf('{', i) > pattern.lastIndexOf('}', i)) source += '|';
    else source += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  const anywhere = !pattern.includes('/');
  const re = new RegExp(`^${anywhere ? '(?:.*/)?' : ''}${source}${pattern.endsWith('/') ? '.*' : ''}$`);
  return (relPath) => re.test(relPath);
}
