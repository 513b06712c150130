import { readFileSync, writeFileSync } from 'node:fs';
import { exportFinetune } from '../engine/finetune/exportFinetune';
import { validateJsonl, type FinetuneExample } from '../engine/finetune/format';
import type { Workspace } from '../engine/workspace';
import { createError } from '../shared/errors';
import type { CliArgs } from './args';
import { updateIndex } from './updateIndex';

function toJsonl(examples: readonly FinetuneExample[]): string {
  return examples.map((e) => JSON.stringify(e)).join('\n') + (examples.length > 0 ? '\n' : '');
}

export function validationPath(out: string): string {
  return out.endsWith('.jsonl') ? `${out.slice(0, -'.jsonl'.length)}.validation.jsonl` : `${out}.validation.jsonl`;
}

export async function runExportFinetune(ws: Workspace, args: CliArgs): Promise<void> {
  const spec = args.finetune;
  if (spec === null) throw createError('bad-arguments', 'export-finetune needs --task and --out.');
  if ('validate' in spec) {
    let text: string;
    try {
      text = readFileSync(spec.validate, 'utf8');
    } catch {
      throw createError('bad-arguments', `Cannot read ${spec.validate}.`);
    }
    const report = validateJsonl(text);
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const e of report.errors) process.stdout.write(`line ${e.line}: ${e.problems.join('; ')}\n`);
      process.stdout.write(`${report.examples} examples, ${report.errors.length} invalid\n`);
    }
    if (report.errors.length > 0 || report.examples === 0) process.exitCode = 1;
    return;
  }
  await updateIndex(ws, true);
  const result = await exportFinetune(ws, spec.task);
  writeFileSync(spec.out, toJsonl(result.train));
  writeFileSync(validationPath(spec.out), toJsonl(result.validation));
  // Validate what was written, so a format bug can never ship a broken training file silently.
  const problems = validateJsonl(toJsonl([...result.train, ...result.validation])).errors;
  if (problems.length > 0) throw createError('bad-arguments', `internal: ${problems.length} exported examples failed validation.`);
  const summary = { task: spec.task, train: result.train.length, validation: result.validation.length, skipped: result.skipped, out: spec.out, validationOut: validationPath(spec.out) };
  if (args.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const skipped = Object.entries(result.skipped).map(([k, v]) => `${k} ${v}`).join(', ');
    process.stdout.write(`${result.train.length} training and ${result.validation.length} validation examples (${spec.task}) → ${spec.out}, ${validationPath(spec.out)}${skipped === '' ? '' : ` · skipped: ${skipped}`}\n`);
  }
}
