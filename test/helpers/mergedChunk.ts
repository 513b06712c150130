/** Two small functions that the chunker merges into one chunk (lines 1-10): for narrowing and splitting tests. */
export const MERGED_SESSION_FUNCTIONS = [
  '/** Refreshes a session token before it expires. */',
  'export function refreshSession(token: string, now: number): string {',
  '  const expires = now + 3600;',
  '  return `${token}:${expires}`;',
  '}',
  '',
  '/** Revokes a session so its token no longer works. */',
  'export function revokeSession(token: string): boolean {',
  '  return token.length > 0;',
  '}',
].join('\n');
