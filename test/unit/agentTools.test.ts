import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AGENT_TOOLS } from '../../src/engine/tools/agentTools';
import { globMatcher } from '../../src/engine/tools/glob';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

describe('agent tools declared once', () => {
  it('package.json contributes each tool as a language-model tool with the same inputs, required fields and description', () => {
    const pkg: unknown = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    const contributes = isRecord(pkg) && isRecord(pkg['contributes']) ? pkg['contributes'] : {};
    const tools = Array.isArray(contributes['languageModelTools']) ? contributes['languageModelTools'].filter(isRecord) : [];
    expect(tools.map((t) => t['name'])).toEqual(Object.keys(AGENT_TOOLS).map((n) => `sourceline_${n}`));
    for (const [name, spec] of Object.entries(AGENT_TOOLS)) {
      const declared = tools.find((t) => t['name'] === `sourceline_${name}`);
      const schema = declared !== undefined && isRecord(declared['inputSchema']) ? declared['inputSchema'] : {};
      const properties = isRecord(schema['properties']) ? schema['properties'] : {};
      const shape: Record<string, z.ZodTypeAny> = spec.input;
      expect(Object.keys(properties).sort()).toEqual(Object.keys(shape).sort());
      const required = Object.entries(shape).filter(([, t]) => !t.isOptional()).map(([k]) => k).sort();
      expect([...(Array.isArray(schema['required']) ? schema['required'] : [])].sort()).toEqual(required);
      expect(declared?.['modelDescription']).toBe(spec.description);
    }
  });
});

describe('path globs of search_code', () => {
  it('matches folders, file names anywhere and alternatives as agents write them', () => {
    expect(globMatcher('src/**')('src/a/b.ts')).toBe(true);
    expect(globMatcher('src/**')('lib/src/b.ts')).toBe(false);
    expect(globMatcher('*.py')('pkg/mod/util.py')).toBe(true);
    expect(globMatcher('**/*.{ts,tsx}')('a/b/c.tsx')).toBe(true);
    expect(globMatcher('**/*.{ts,tsx}')('a/b/c.js')).toBe(false);
    expect(globMatcher('src/*.ts')('src/a/b.ts')).toBe(false);
    expect(globMatcher('test/')('test/unit/x.ts')).toBe(true);
    expect(globMatcher('a.b?')('dir/a.bc')).toBe(true);
  });
});
