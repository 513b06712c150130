/**
 * OpenAI chat fine-tuning JSONL: one `{"messages": [...]}` object a line; roles system/user/assistant;
 * the last message is the assistant's (what the model learns to write). `weight` (0 or 1) is allowed
 * on assistant messages, nothing else.
 */
import { isRecord } from '../../shared/guards';

export interface FinetuneMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface FinetuneExample {
  readonly messages: readonly FinetuneMessage[];
}

/** A generous per-example bound (~16k tokens): longer examples are truncated by the trainer or rejected. */
export const MAX_EXAMPLE_CHARS = 64_000;

/** Problems with one line, as readable sentences; empty when the line is a valid example. */
export function validateExampleLine(line: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return ['not valid JSON'];
  }
  if (!isRecord(parsed) || Array.isArray(parsed)) return ['not a JSON object'];
  const problems: string[] = [];
  const extra = Object.keys(parsed).filter((k) => k !== 'messages');
  if (extra.length > 0) problems.push(`unexpected keys: ${extra.join(', ')}`);
  const messages = parsed['messages'];
  if (!Array.isArray(messages) || messages.length < 2) return [...problems, '"messages" must be an array of at least two messages'];
  messages.forEach((m: unknown, i) => {
    if (!isRecord(m) || Array.isArray(m)) {
      problems.push(`message ${i} is not an object`);
      return;
    }
    if (m['role'] !== 'system' && m['role'] !== 'user' && m['role'] !== 'assistant') problems.push(`message ${i} has role ${JSON.stringify(m['role'])}`);
    if (typeof m['content'] !== 'string' || m['content'].trim() === '') problems.push(`message ${i} has no text content`);
    const keys = Object.keys(m).filter((k) => k !== 'role' && k !== 'content' && !(k === 'weight' && m['role'] === 'assistant'));
    if (keys.length > 0) problems.push(`message ${i} has unexpected keys: ${keys.join(', ')}`);
    if ('weight' in m && m['weight'] !== 0 && m['weight'] !== 1) problems.push(`message ${i} has a weight other than 0 or 1`);
  });
  const roles = messages.map((m: unknown) => (isRecord(m) ? m['role'] : undefined));
  if (!roles.includes('user')) problems.push('no user message');
  if (roles[roles.length - 1] !== 'assistant') problems.push('the last message is not the assistant’s');
  if (line.length > MAX_EXAMPLE_CHARS) problems.push(`longer than ${MAX_EXAMPLE_CHARS} characters`);
  return problems;
}

export interface ValidationReport {
  readonly examples: number;
  readonly errors: ReadonlyArray<{ readonly line: number; readonly problems: readonly string[] }>;
}

export function validateJsonl(text: string): ValidationReport {
  const errors: Array<{ line: number; problems: string[] }> = [];
  let examples = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    examples++;
    const problems = validateExampleLine(line);
    if (problems.length > 0) errors.push({ line: i + 1, problems });
  });
  return { examples, errors };
}
