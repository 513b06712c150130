import { writeFiles } from './tmp';

/** A synthetic but realistic-shaped TypeScript project: `count` modules of a few functions each. */
export function writeSyntheticProject(dir: string, count: number): void {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const fns = Array.from({ length: 4 }, (_, j) => {
      const name = `handleRequest${i}x${j}`;
      return `/** Handles request kind ${j} for module ${i}. */
export function ${name}(input: { id: number; payload: string }): string {
  const parts = input.payload.split(',');
  let total = 0;
  for (const part of parts) {
    total += part.length * ${j + 1};
  }
  if (total > ${i * 10 + j}) {
    return \`large:\${input.id}:\${total}\`;
  }
  return \`small:\${input.id}:\${total}\`;
}
`;
    });
    files[`src/module${Math.floor(i / 50)}/file${i}.ts`] = fns.join('\n');
  }
  writeFiles(dir, files);
}
