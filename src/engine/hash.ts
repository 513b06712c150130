import { createHash } from 'node:crypto';

/** sha256 as hex: content hashes of files and chunks, cache keys, stable orders. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
