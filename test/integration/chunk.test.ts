import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkFile } from '../../src/engine/chunk/chunkFile';
import { DEFAULT_LIMITS, type ChunkLimits } from '../../src/engine/chunk/segments';
import { languageOf } from '../../src/engine/walk/fileKinds';
import type { Chunk } from '../../src/engine/types';

const FIXTURES = path.resolve(__dirname, '../fixtures/chunking');
/** Small limits so the small fixtures exercise splitting classes into their members. */
const SMALL: ChunkLimits = { maxLines: 12, maxChars: 4000, minLines: 3, windowLines: 10, overlapLines: 2 };

async function chunksOf(file: string, limits = SMALL): Promise<{ chunks: Chunk[]; lines: string[] }> {
  const text = readFileSync(path.join(FIXTURES, file), 'utf8');
  return { chunks: await chunkFile({ relPath: file, text, language: languageOf(file) }, limits), lines: text.split('\n') };
}

/** 1-based line of the first line that starts (after indentation) with `prefix`. */
function lineOf(lines: readonly string[], prefix: string, after = 0): number {
  const i = lines.findIndex((l, idx) => idx >= after && l.trimStart().startsWith(prefix));
  if (i < 0) throw new Error(`fixture has no line starting with ${prefix}`);
  return i + 1;
}

/** 1-based line of the first raw line (indentation included) starting with `prefix`, at or after line `from`. */
function rawLineOf(lines: readonly string[], prefix: string, from: number): number {
  const i = lines.findIndex((l, idx) => idx + 1 >= from && l.startsWith(prefix));
  if (i < 0) throw new Error(`fixture has no line starting with ${JSON.stringify(prefix)} after ${from}`);
  return i + 1;
}

/**
 * symbol → [first line (trimmed prefix), last line (raw prefix, so indentation tells which brace)].
 * The last line is searched from the first line on.
 */
const EXPECTED: Record<string, Array<[string, string, string]>> = {
  'session.ts': [
    ['Session', '/** A stored login session. */', '}'],
    ['SessionStore.refresh', '/** Refreshes', '  }'],
    ['SessionStore.revoke', 'revoke(', '  }'],
    ['hashToken', 'export const hashToken', '};'],
  ],
  'view.tsx': [
    ['Greeting', '// Greets the user', '}'],
    ['App', 'export default function App', '}'],
  ],
  'legacy.js': [
    ['parseQuery', '/**', '}'],
    ['Router.prototype.handle', 'Router.prototype.handle', '};'],
  ],
  'billing.py': [
    ['Invoice', 'class Invoice', '        return math.fsum'],
    ['format_amount', 'def format_amount', '    return f"'],
  ],
  'server.go': [
    ['Server', '// Server serves the API.', '}'],
    ['ServeHTTP', '// ServeHTTP dispatches', '}'],
    ['New', '// New builds a server.', '}'],
  ],
  'cache.rs': [
    ['Cache', '/// A least-recently-used cache.', '}'],
    ['impl Cache', 'impl Cache', '}'],
    ['helper', 'fn helper', '}'],
  ],
  'Accounts.java': [
    ['Accounts.Accounts', 'public Accounts(', '    }'],
    ['Accounts.find', '/** Finds an account', '    }'],
  ],
  'Orders.cs': [
    ['Shop.Orders.Place', '/// <summary>Places', '        }'],
    ['Shop.Orders.Count', 'public int Count', '        public int Count'],
  ],
  'ring.c': [
    ['ring', '/* A ring buffer. */', '};'],
    ['ring_push', '/* Pushes a value', '}'],
    ['ring_peek', 'static int ring_peek', '}'],
  ],
  'matrix.cpp': [
    ['linalg.Matrix.at', '// Element access.', '    }'],
    ['linalg.square', 'template <typename T>', '}'],
  ],
  'guide.md': [
    ['Install', '# Install', 'Run the installer.'],
    ['Offline', '## Offline', '```\n'],
    ['Usage', '# Usage', 'Call the tool.'],
  ],
};

describe('chunking along syntax', () => {
  for (const [file, expectations] of Object.entries(EXPECTED)) {
    it(`${file}: one chunk per unit with exact 1-based line ranges`, async () => {
      const { chunks, lines } = await chunksOf(file);
      for (const [symbol, first, last] of expectations) {
        const start = lineOf(lines, first);
        const end = last.endsWith('\n') ? lastExactLine(lines, last.trim()) : rawLineOf(lines, last, start);
        const chunk = chunks.find((c) => c.symbol === symbol);
        expect(chunk, `${file}: no chunk for ${symbol} in ${chunks.map((c) => c.symbol).join(' | ')}`).toBeDefined();
        expect([chunk?.startLine, chunk?.endLine], `${file}:${symbol}`).toEqual([start, end]);
      }
    });
  }

  it('carries enclosing class and signature in the searchable context', async () => {
    const { chunks } = await chunksOf('session.ts');
    const refresh = chunks.find((c) => c.symbol === 'SessionStore.refresh');
    expect(refresh?.context.split('\n')).toEqual(['session.ts', 'class SessionStore', 'refresh(id: string, now: number): Session | undefined']);
    const md = (await chunksOf('guide.md')).chunks.find((c) => c.symbol === 'Offline');
    expect(md?.context.split('\n')).toEqual(['guide.md', '# Install', '## Offline']);
  });

  it('every fixture: chunk text is exactly its lines, and no line with words is dropped', async () => {
    for (const file of readdirSync(FIXTURES)) {
      for (const limits of [SMALL, DEFAULT_LIMITS]) {
        const { chunks, lines } = await chunksOf(file, limits);
        const covered = new Set<number>();
        for (const c of chunks) {
          expect(c.startLine).toBeGreaterThanOrEqual(1);
          expect(c.endLine).toBeGreaterThanOrEqual(c.startLine);
          expect(c.text).toBe(lines.slice(c.startLine - 1, c.endLine).join('\n'));
          for (let l = c.startLine; l <= c.endLine; l++) covered.add(l);
        }
        lines.forEach((line, i) => {
          if (/[A-Za-z0-9]/.test(line)) expect(covered.has(i + 1), `${file}:${i + 1} dropped: ${line}`).toBe(true);
        });
      }
    }
  });

  it('splits a unit too big for one chunk into windows instead of dropping it', async () => {
    const body = Array.from({ length: 300 }, (_, i) => `  total += step(${i});`).join('\n');
    const text = `export function huge(): number {\n  let total = 0;\n${body}\n  return total;\n}\n`;
    const chunks = await chunkFile({ relPath: 'huge.ts', text, language: 'typescript' });
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.every((c) => c.symbol === 'huge' && c.endLine - c.startLine + 1 <= DEFAULT_LIMITS.maxLines)).toBe(true);
    expect(chunks[0]?.startLine).toBe(1);
    expect(chunks[chunks.length - 1]?.endLine).toBe(304);
    expect(chunks.every((c) => c.context.includes('function huge(): number'))).toBe(true);
  });

  it('recognises functions wrapped in calls (curry, memo, forwardRef)', async () => {
    const text = `/**\n * Adds two numbers.\n */\nvar add = _curry2(function add(a, b) {\n  return Number(a) + Number(b);\n});\n\nexport const Button = memo(forwardRef((props, ref) => {\n  return render(props, ref);\n}));\n\nconst config = loadConfig({ strict: true });\n`;
    const chunks = await chunkFile({ relPath: 'wrap.js', text, language: 'javascript' }, { ...DEFAULT_LIMITS, minLines: 0 });
    expect(chunks.map((c) => [c.symbol, c.kind, c.startLine, c.endLine])).toEqual([
      ['add', 'function', 1, 6],
      ['Button', 'function', 8, 10],
      ['', 'block', 12, 12],
    ]);
  });

  it('merges tiny neighbours into one chunk', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `export const get${i} = () => ${i};`).join('\n');
    const chunks = await chunkFile({ relPath: 'getters.ts', text, language: 'typescript' });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.symbol).toBe(Array.from({ length: 10 }, (_, i) => `get${i}`).join(', '));
  });

  it('windows files without a grammar, with overlap', async () => {
    const text = Array.from({ length: 120 }, (_, i) => `key${i} = value${i}`).join('\n');
    const chunks = await chunkFile({ relPath: 'settings.ini', text, language: null });
    expect(chunks.map((c) => [c.startLine, c.endLine])).toEqual([[1, 50], [46, 95], [91, 120]]);
  });
});

function lastExactLine(lines: readonly string[], text: string): number {
  return lines.lastIndexOf(text) + 1;
}
