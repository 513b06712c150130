import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Runs git in `cwd`; null when git is missing, the folder is not a repository, or git fails. */
export function git(cwd: string, args: readonly string[], maxBuffer = 64 * 1024 * 1024): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd, maxBuffer, encoding: 'utf8' }, (error, stdout) => resolve(error === null ? stdout : null));
  });
}

export function isGitRepository(root: string): boolean {
  return existsSync(path.join(root, '.git'));
}

export interface CommitInfo {
  readonly hash: string;
  readonly subject: string;
  readonly body: string;
  readonly files: readonly string[];
}

const RECORD = '\u001e';
const FIELD = '\u001f';

/**
 * Recent non-merge commits with the files they changed. Commits that touch more than `maxFiles`
 * files (mass renames, vendoring, formatting sweeps) say little about any one file and are skipped.
 */
export async function recentCommits(root: string, limit: number, maxFiles = 20, requireFiles = true): Promise<CommitInfo[]> {
  const out = await git(root, ['log', '--no-merges', `-n${limit}`, `--format=${RECORD}%H${FIELD}%s${FIELD}%b${FIELD}`, '--name-only']);
  if (out === null) return [];
  return out
    .split(RECORD)
    .filter((r) => r.trim() !== '')
    .flatMap((record) => {
      const [hash = '', subject = '', body = '', names = ''] = record.split(FIELD);
      const files = names.split('\n').map((f) => f.trim()).filter((f) => f !== '');
      if (hash === '' || (requireFiles && files.length === 0) || files.length > maxFiles) return [];
      return [{ hash, subject: subject.trim(), body: body.trim(), files }];
    });
}

/** The patch of one commit (no header), or null. */
export function commitDiff(root: string, hash: string): Promise<string | null> {
  return git(root, ['show', '--format=', '--patch', '--no-color', '--no-ext-diff', hash]);
}

/** The staged diff, for drafting a commit message. */
export function stagedDiff(root: string): Promise<string | null> {
  return git(root, ['diff', '--staged', '--no-color', '--no-ext-diff']);
}

/** Splits a unified diff into per-file sections, keyed by the new path. */
export function diffSections(diff: string): Array<{ path: string; text: string }> {
  const sections: Array<{ path: string; text: string }> = [];
  for (const part of diff.split(/^(?=diff --git )/m)) {
    const m = /^diff --git a\/(.+?) b\/(.+)$/m.exec(part);
    if (m !== null) sections.push({ path: m[2] ?? m[1] ?? '', text: part });
  }
  return sections;
}
