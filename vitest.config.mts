import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Native modules (better-sqlite3, onnxruntime) are safest in forked processes.
    pool: 'forks',
    // CLI runs in tests each run in their own process, as before resident searches; test/integration/resident.test.ts turns them on.
    env: { SOURCELINE_RESIDENT: '0' },
  },
});
