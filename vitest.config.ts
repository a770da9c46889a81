import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests use the built package, exactly as users get it: the child entry
    // must exist in dist/ and the exports map must resolve.
    alias: { 'isolated-call': fileURLToPath(new URL('./dist/index.js', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // test/field/: the slow field tests (real Next.js builds, …), run by `npm run test:field` with ISOLATED_CALL_FIELD=1.
    exclude: [...configDefaults.exclude, ...(process.env.ISOLATED_CALL_FIELD ? [] : ['test/field/**'])],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every test forks real children; two cores are all there is.
    fileParallelism: true,
    maxWorkers: 2,
    server: { deps: { external: [/\/dist\//] } },
  },
});
