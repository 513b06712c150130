import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { keyLikeValues } from './keyLike';

/** One secret value found in a file and replaced before anything was stored, embedded or sent. */
export interface Redaction {
  /** 1-based line the value starts on. */
  readonly line: number;
  /** Which rule found it, e.g. `github-token`, `aws-secret-access-key`, `password-assignment`. */
  readonly rule: string;
}

export interface Redacted {
  readonly text: string;
  readonly redactions: readonly Redaction[];
}

/** A span of the text to replace: [start, end) character offsets. */
export interface SecretSpan {
  readonly start: number;
  readonly end: number;
  readonly rule: string;
}

/** The visible marker that takes a secret's place. Contains no newline, so line numbers stay. */
export function redactionMarker(rule: string): string {
  return `«redacted: ${rule}»`;
}

/** Matches any marker, for comparing redacted text with the file on disk. */
export const MARKER_PATTERN = /«redacted: [a-z0-9-]+»/g;

/**
 * secretlint's core marks the start and end of every rule on every file with `performance.mark`,
 * and its profiler keeps each mark and scans them all on the next: in a process that scans
 * thousands of files that grew without bound and made each file slower than the last (a third of
 * all indexing time by 1,500 files). Sourceline never reads the profile, so the marks are not made.
 */
secretLintProfiler.mark = (): void => undefined;

const SECRETLINT_CONFIG = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommended,
      // An AWS access key id alone is a credential half; it is redacted too.
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

/** `@secretlint/secretlint-rule-github` + `GITHUB_TOKEN` → `github-token`; `aws` + `AWSAccessKeyID` → `aws-access-key-id`. */
function ruleName(ruleId: string, messageId: string): string {
  const rule = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  const message = messageId
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  return message.replace(/-/g, '').startsWith(rule.replace(/-/g, '')) ? message : `${rule}-${message}`;
}

/**
 * Spans secretlint's recommended rules report. Its message ranges are not always the secret's own
 * (the AWS secret rule reports the match's start with the key's length), so the secret values it
 * names in `data` are located in the text instead, every occurrence; the range is the fallback.
 */
async function secretlintSpans(text: string, relPath: string): Promise<SecretSpan[]> {
  const ext = relPath.includes('.') ? relPath.slice(relPath.lastIndexOf('.')) : '';
  const result = await lintSource({
    source: { content: text, filePath: `/${relPath}`, ext, contentType: 'text' },
    options: { config: SECRETLINT_CONFIG, noPhysicFilePath: true },
  });
  const spans: SecretSpan[] = [];
  for (const m of result.messages) {
    if (m.type !== 'message') continue;
    const rule = ruleName(m.ruleId, m.messageId);
    const values = Object.values(m.data ?? {}).filter((v): v is string => typeof v === 'string' && v.length >= 4);
    let found = false;
    for (const value of values) {
      for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) {
        spans.push({ start: at, end: at + value.length, rule });
        found = true;
      }
    }
    if (!found) spans.push({ start: m.range[0], end: m.range[1], rule });
  }
  return spans;
}

/** Overlapping spans become one (the first rule names it), in text order. */
function merge(spans: readonly SecretSpan[]): SecretSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start < last.end) out[out.length - 1] = { ...last, end: Math.max(last.end, s.end) };
    else out.push(s);
  }
  return out;
}

/**
 * Replaces every secret value in a file's text with a visible marker. A value spanning lines (a PEM
 * block) keeps its line breaks, so every line number is unchanged.
 */
export async function redactSecrets(text: string, relPath: string): Promise<Redacted> {
  const spans = merge([...(await secretlintSpans(text, relPath)), ...keyLikeValues(text)]);
  if (spans.length === 0) return { text, redactions: [] };
  const parts: string[] = [];
  const redactions: Redaction[] = [];
  let at = 0;
  let line = 1;
  for (const s of spans) {
    const before = text.slice(at, s.start);
    line += countNewlines(before);
    const secret = text.slice(s.start, s.end);
    // One marker per line of the value: each redacted line still says so, and still compares with the disk.
    parts.push(before, secret.split('\n').map(() => redactionMarker(s.rule)).join('\n'));
    redactions.push({ line, rule: s.rule });
    line += countNewlines(secret);
    at = s.end;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), redactions };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** `line 3: github-token; line 9: private-key` — how a file's redactions are stored and shown. */
export function describeRedactions(redactions: readonly Redaction[]): string {
  return redactions.map((r) => `line ${r.line}: ${r.rule}`).join('; ');
}
