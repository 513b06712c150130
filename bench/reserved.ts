import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Names reserved for independent evaluation (bench/wild/reserved.txt): never in a dev set, the wild corpus or training. */
export function reservedNames(): Set<string> {
  const text = readFileSync(path.resolve(__dirname, '..', '..', 'bench', 'wild', 'reserved.txt'), 'utf8');
  return new Set(text.split('\n').filter((l) => !l.startsWith('#')).flatMap((l) => l.split(/\s+/)).filter((w) => w !== '').map((w) => w.toLowerCase()));
}

/** A package or repository name is reserved when any part of it is (`@vitest/expect`, `@types/express`, `owner/zod`). */
export function isReserved(name: string, names: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return names.has(lower) || lower.split(/[/@]/).some((part) => names.has(part));
}
