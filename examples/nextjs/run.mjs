#!/usr/bin/env node
/**
 * Runs this example against the repository's own build, as a user's app would
 * install it:
 *
 *   node examples/nextjs/run.mjs            (from the repository's root; add --dev for next dev, --once to stop after one request)
 *
 * It builds and packs isolated-call, copies the app into a temporary folder,
 * installs the tarball with next, react and typescript from npm, runs
 * `next build` and `next start` on http://127.0.0.1:3000, posts one source
 * to the route handler and prints the reply. Open the page for the form
 * (a server action). Ctrl-C stops the server and removes the folder.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const dev = process.argv.includes('--dev');
const once = process.argv.includes('--once');
const sh = (command, args, cwd) => execFileSync(command, args, { cwd, stdio: 'inherit' });

const app = mkdtempSync(join(tmpdir(), 'isolated-call-nextjs-'));
let server;
function cleanUp() {
  if (server?.pid) process.kill(-server.pid, 'SIGKILL');
  rmSync(app, { recursive: true, force: true });
}
process.on('SIGINT', () => {
  cleanUp();
  process.exit(130);
});

try {
  sh('npm', ['run', 'build'], root);
  sh('npm', ['pack', '--pack-destination', app], root);
  const tarball = readdirSync(app).find((name) => name.endsWith('.tgz'));
  for (const entry of readdirSync(here))
    if (!['run.mjs', 'README.md', 'node_modules', '.next'].includes(entry))
      cpSync(join(here, entry), join(app, entry), { recursive: true });
  writeFileSync(join(app, 'package.json'), '{ "private": true }\n');
  sh(
    'npm',
    ['install', '--no-audit', '--no-fund', `./${tarball}`, 'next@16', 'react', 'react-dom', 'typescript@5', '@types/react', '@types/node'],
    app,
  );
  const next = join(app, 'node_modules/.bin/next');
  if (!dev) sh(next, ['build'], app);
  server = spawn(next, [dev ? 'dev' : 'start', '-H', '127.0.0.1', '-p', '3000'], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  server.stdout.pipe(process.stdout);
  await new Promise((resolve) => server.stdout.on('data', (chunk) => String(chunk).includes('Ready') && resolve()));
  const reply = await fetch('http://127.0.0.1:3000/api/transpile', { method: 'POST', body: 'let x: number = 1; enum E { A }' });
  console.log(`POST /api/transpile → ${reply.status}\n${JSON.stringify(await reply.json(), null, 2)}`);
  if (once) cleanUp();
  else console.log('The form (a server action): http://127.0.0.1:3000 — Ctrl-C to stop.');
} catch (error) {
  cleanUp();
  throw error;
}
