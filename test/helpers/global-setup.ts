import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Compiles the TypeScript fixtures before any test runs, in the three shapes
 * users ship: ESM with standard decorators, ESM with legacy decorators and
 * decorator metadata, and CommonJS. Children import the compiled files with
 * plain Node, as they would in production.
 *
 * Gives the run a temporary folder of its own, as TMPDIR for every test file
 * and every process they start (the SDK's caches and temporary files
 * included), removed at the end: a test touches nothing outside it.
 */
export default function setup(): () => void {
  const runTmp = useRunTmpdir();
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
  return () => {
    rmSync(runTmp, { recursive: true, force: true });
    // Run as root (as CI is), a test that renamed a file onto /dev/null would
    // break the machine for every other user: fail the run loudly.
    if (!statSync('/dev/null').isCharacterDevice()) throw new Error('/dev/null is no longer a character device: a test replaced it');
  };
}

/**
 * A fresh folder under the machine's temporary folder, set as TMPDIR (test
 * workers and the processes they start inherit it). Traversable by others
 * (0755): some tests run probes as `nobody`; whatever a test makes inside is
 * its own and private unless the test says otherwise.
 */
function useRunTmpdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'isolated-call-tests-'));
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  return dir;
}
