import type { SkipReason } from '../types';

/** User-facing explanation of each skip reason, with what to do about it. */
export const SKIP_REASON_TEXT: Readonly<Record<SkipReason, string>> = {
  binary: 'binary content (not text)',
  'too-large': 'larger than the size cap (raise sourceline.index.maxFileSize / --max-file-size)',
  minified: 'minified (very long lines); re-include it in .sourcelineignore if it matters',
  generated: 'generated or data-like content; re-include it in .sourcelineignore if it matters',
  secret: 'may contain secrets, never indexed unless re-included in .sourcelineignore',
  unreadable: 'could not be read (permissions?)',
  'symlink-loop': 'symbolic link that loops back to a parent folder',
  'special-file': 'not a regular file (socket, FIFO or device)',
  undecodable: 'text in an encoding that could not be decoded',
  'outside-root': 'symbolic link to a place outside the indexed folders (add that folder as a root to index it)',
  duplicate: 'symbolic link to a folder that is indexed under its own path already',
  timeout: 'took too long to chunk; tried again on the next index run',
};

export function isSkipReason(value: string): value is SkipReason {
  return Object.prototype.hasOwnProperty.call(SKIP_REASON_TEXT, value);
}

export function skipReasonText(reason: string): string {
  return isSkipReason(reason) ? SKIP_REASON_TEXT[reason] : reason;
}
