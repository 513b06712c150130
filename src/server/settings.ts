import * as path from 'node:path';
import type { InitializationOptions } from '../shared/protocol';

/** The server's one reader of client settings: `initialize` options, validated, with defaults. */
export function readInitializationOptions(value: unknown, fallbackStorage: string): InitializationOptions {
  const v = typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {};
  const storage = typeof v['storagePath'] === 'string' && path.isAbsolute(v['storagePath']) ? v['storagePath'] : fallbackStorage;
  const maxFileBytes = typeof v['maxFileBytes'] === 'number' && Number.isInteger(v['maxFileBytes']) && v['maxFileBytes'] > 0 ? v['maxFileBytes'] : undefined;
  const patterns = (x: unknown): string[] => (Array.isArray(x) ? x.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : []);
  return {
    storagePath: storage,
    exclude: patterns(v['exclude']),
    include: patterns(v['include']),
    ...(typeof v['embeddingModel'] === 'string' && v['embeddingModel'] !== '' ? { embeddingModel: v['embeddingModel'] } : {}),
    ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
  };
}
