import { statSync } from 'node:fs';

/** A file's device and inode, or null when it is gone: tells a file from another put in its place. */
export function fileIdentity(file: string): string | null {
  try {
    const stat = statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return null;
  }
}
