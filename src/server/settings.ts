import * as path from 'node:path';
import type { InitializationOptions } from '../shared/protocol';

/** The server's one reader of client settings: `initialize` options, validated, with defaults. */
export function readInitializationOptions(value: unknown, fallbackStorage: string): InitializationOptions {
  const v = typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value)) : {};
  const storage = typeof v['storagePath'] === 'string' && path.isAbsolute(v['storagePath']) ? v['storagePath'] : fallbackStorage;
  const maxFileBytes = typeof v['maxFileBytes'] === 'number' && Number.isInteger(v['maxFileBytes']) && v['maxFileBytes'] > 0 ? v['maxFileBytes'] : undefined;
  const exclude = Array.isArray(v['exclude']) ? v['exclude'].filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
  return {
    storagePath: storage,
    exclude,
    ...(typeof v['embeddingModel'] === 'string' && v['embeddingModel'] !== '' ? { embeddingModel: v['embeddingModel'] } : {}),
    ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
  };
}
