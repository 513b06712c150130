/** Two small source files (TypeScript and Python) that CLI tests index and search. */
export const SMALL_PROJECT = {
  'src/session.ts': `/** Refreshes a session token before it expires. */
export function refreshSession(token: string): string {
  return token + ':refreshed';
}
`,
  'src/util.py': `def slugify(title):
    """Turns a title into a URL slug."""
    return title.lower().replace(" ", "-")
`,
};
