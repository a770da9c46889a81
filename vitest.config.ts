import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests use the built package, exactly as users get it: the child entry
    // must exist in dist/ and the exports map must resolve.
    alias: { 'isolated-call': fileURLToPath(new URL('./dist/index.js', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // The field tests run only from their own script (test/field/run.mjs sets FIELD_TESTS): slow, and on other runtimes.
    exclude: process.env.FIELD_TESTS ? ['**/node_modules/**'] : ['test/field/**', '**/node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every test forks real children; two cores are all there is.
    fileParallelism: true,
    maxWorkers: 2,
    server: { deps: { external: [/\/dist\//] } },
  },
});
