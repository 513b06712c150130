import type { SecretSpan } from './redact';

/**
 * What secretlint's recommended preset leaves out, found by shape rather than by vendor:
 *  - a value assigned to a key-like name (`DB_PASSWORD=…`, `"apiKey": "…"`, `password: …` in YAML)
 *    that looks random enough to be a credential, not a type, a call or a placeholder;
 *  - the password in a URL's user info (`postgres://admin:s3cret@db/prod`), any scheme;
 *  - live payment keys (`sk_live_…`), which no preset rule covers.
 */

/** The identifier ends in a credential word: `password`, `DB_PASS`, `clientSecret`, `api-key`, `authToken`. */
const KEY_NAME = String.raw`[A-Za-z0-9_.-]*?(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth)`;

/**
 * name, an assignment operator (`=`, `:`, `:=`, `=>`; not `::`, `==` or `->`), then a quoted or bare
 * value on the same line. `Token::EOF_TYPE` and `token == other` are code, not assignments.
 */
const ASSIGNMENT = new RegExp(
  String.raw`(?<![A-Za-z0-9:>$-])(["']?)(${KEY_NAME})\1\s*(?::=|=>|=(?!=)|:(?!:))\s*(?:(["'\`])([^"'\`\n]{6,200})\3|([^\s"'\`,;#)}\]]{8,200}))`,
  'gi',
);

const URL_PASSWORD = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"`[\]]{1,100}:([^\s@/'"`[\]]{3,200})@[^\s'"`]/gi;

const LIVE_KEY = /\b(?:sk|rk)_live_[0-9a-zA-Z]{16,}\b/g;

/** Values that stand for a secret without being one: `${DB_PASS}`, `<token>`, `%s`, `****`, `process.env.X`. */
function isPlaceholder(value: string): boolean {
  return (
    /^[$%<{[(]/.test(value) ||
    /^(.)\1*$/.test(value) ||
    /^(?:x+|\*+|changeme|pass|passwd|pwd|password|secret|token|example|placeholder|your[-_].*|test|dummy|none|null|undefined|true|false)$/i.test(value) ||
    /^(?:process\.env|os\.environ|env|config|settings|self|this)\b/i.test(value)
  );
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * A bare (unquoted) value is code as often as data: `token = nextToken(input)`, `password: string`.
 * It counts as a secret only when it is one token that mixes letters with digits (`hunter2`, `s3cr3t!`),
 * not a path through code (`Token::EOF_TYPE`, `$stream->next`).
 */
function looksLikeBareSecret(value: string): boolean {
  if (/[().[\]{}<>]|::|->/.test(value) || /^[^A-Za-z0-9]/.test(value) || /^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return false;
  return /[A-Za-z]/.test(value) && /[0-9]/.test(value) && entropy(value) >= 2.8;
}

/** A quoted value is a secret unless it reads as a name (`"serverAuth"`, `"_DSAPrivateKey"`): short and letters only. */
function looksLikeQuotedSecret(value: string): boolean {
  if (/\s/.test(value) || value.length < 6) return false;
  if (/^[A-Za-z_.-]+$/.test(value) && value.length < 24) return false;
  return entropy(value) >= 2.5;
}

export function keyLikeValues(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    const quoted = m[4];
    const bare = m[5];
    const value = quoted ?? bare;
    if (value === undefined || m.index === undefined || isPlaceholder(value)) continue;
    if (quoted !== undefined ? !looksLikeQuotedSecret(quoted) : !looksLikeBareSecret(value)) continue;
    const start = m.index + m[0].length - value.length - (quoted === undefined ? 0 : 1);
    spans.push({ start, end: start + value.length, rule: ruleFor(m[2] ?? '') });
  }
  for (const m of text.matchAll(URL_PASSWORD)) {
    const password = m[1];
    if (password === undefined || m.index === undefined || isPlaceholder(password)) continue;
    const start = m.index + m[0].indexOf(`:${password}@`) + 1;
    spans.push({ start, end: start + password.length, rule: 'url-password' });
  }
  for (const m of text.matchAll(LIVE_KEY)) {
    if (m.index !== undefined) spans.push({ start: m.index, end: m.index + m[0].length, rule: 'live-payment-key' });
  }
  return spans;
}

function ruleFor(name: string): string {
  const lower = name.toLowerCase();
  if (/pass|pwd/.test(lower)) return 'password-assignment';
  if (/token|auth/.test(lower)) return 'token-assignment';
  if (/key/.test(lower)) return 'key-assignment';
  return 'secret-assignment';
}
