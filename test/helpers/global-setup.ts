import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Compiles the TypeScript fixtures before any test runs, in the three shapes
 * users ship: ESM with standard decorators, ESM with legacy decorators and
 * decorator metadata, and CommonJS. Children import the compiled files with
 * plain Node, as they would in production.
 */
export default function setup(): void {
  if (!existsSync(`${root}/dist/child.cjs`)) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  }
  const tsc = `${root}/node_modules/typescript/bin/tsc`;
  for (const config of ['tsconfig.tc39.json', 'tsconfig.legacy.json', 'tsconfig.cjs.json']) {
    try {
      execFileSync(process.execPath, [tsc, '-p', `${root}/test/fixtures/${config}`], { stdio: 'inherit' });
    } catch (error) {
      // Exit status 2: type errors were reported but every file was emitted.
      // Some fixtures do on purpose what types forbid (bad input); the tests
      // judge behaviour. Any other status means nothing usable was built.
      if ((error as { status?: number }).status !== 2) throw error;
    }
  }
  mkdirSync(`${root}/test/fixtures/build/cjs`, { recursive: true });
  writeFileSync(`${root}/test/fixtures/build/cjs/package.json`, '{ "type": "commonjs" }\n');
  // That package.json ends the package scope, so the package can't be found
  // by self-reference there: link it in like an installed dependency.
  const link = `${root}/test/fixtures/build/cjs/node_modules/isolated-call`;
  if (!existsSync(link)) {
    mkdirSync(`${root}/test/fixtures/build/cjs/node_modules`, { recursive: true });
    symlinkSync(root, link, 'dir');
  }
}
