import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // oclif writes to process.stdout directly; intercepting console would hide it.
    disableConsoleIntercept: true,
    testTimeout: 30000,
    hookTimeout: 30000,
    // In CI also write a JSON report, from which .ci/run prints its closing line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/results.json' }]] : ['default'],
  },
})
