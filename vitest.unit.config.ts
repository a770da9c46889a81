import { defineConfig } from 'vitest/config';

/**
 * The unit tests beside the code (src/**\/*.test.ts): in-process, no child,
 * no dist/ and no fixtures built, so `npm run test:unit` needs no build.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 10_000,
  },
});
