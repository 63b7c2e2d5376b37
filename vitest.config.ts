import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default leaves one core idle: on a 2-core machine, one file at a time. Many files here wait on
    // child processes and sockets, so two at a time halves the run without starving either.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
