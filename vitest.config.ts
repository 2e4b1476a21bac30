import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    // Most tests wait on child processes (the built CLI, git): three files at a time keep two cores
    // busy where vitest's default (cores - 1) would run one file at a time here.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
