import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNodeJson } from './helpers/scripts.js';

/*
 * A child loads an ES module with require() where Node can (20.19 on): ~3 ms
 * sooner than import(). Node 20's require() of an ES module fails, in
 * ModuleLoader.getModuleJobForRequire ("Cannot read properties of undefined
 * (reading 'getStatus')"), when an import() of a module in its graph is
 * still loading. A standby child starts one as it waits: import() of
 * dist/child-api.mjs, which every ES module that imports `isolated-call`
 * has in its graph. Here that import() is held open for as long as the test
 * likes: in a copy of the package, dist/child-api.mjs is a FIFO, and the
 * script writes the file's text into it only once the call has arrived.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const app = mkdtempSync(join(tmpdir(), 'ic-require-esm-race-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

describe.skipIf(process.platform === 'win32')('loading an ES module in a child', () => {
  it("never races an import() that is still loading: a standby child's first call, its preload held open", () => {
    const pkg = join(app, 'node_modules', 'isolated-call');
    mkdirSync(pkg, { recursive: true });
    cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
    cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
    const api = join(pkg, 'dist', 'child-api.mjs');
    const apiText = readFileSync(api, 'utf8');
    rmSync(api);
    execFileSync('mkfifo', [api]);
    writeFileSync(join(app, 'api-text.txt'), apiText);
    mkdirSync(join(app, 'tmp'));
    writeFileSync(
      join(app, 'work.mjs'),
      `import { isolate } from 'isolated-call';
export const add = isolate(async function add(a, b) { return a + b; }, { standby: true });
`,
    );
    writeFileSync(
      join(app, 'main.mjs'),
      `import { constants, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { shutdown, warmUp } from 'isolated-call';
import { add } from './work.mjs';

const api = new URL('./node_modules/isolated-call/dist/child-api.mjs', import.meta.url);
warmUp(add);
// The standby child's preload has opened dist/child-api.mjs (a FIFO) once a writer can open it without blocking.
let fd;
for (let i = 0; fd === undefined; i++) {
  try {
    fd = openSync(api, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (error.code !== 'ENXIO' || i > 600) throw error;
    await sleep(25);
  }
}
// Its import() is in flight, waiting for the file's text: the call arrives now.
const call = add(40, 2).then((value) => ({ value }), (error) => ({ error: error.message }));
await sleep(500);
writeSync(fd, readFileSync(new URL('./api-text.txt', import.meta.url)));
closeSync(fd);
console.log(JSON.stringify(await call));
await shutdown();
`,
    );
    const { json } = runNodeJson(['main.mjs'], { cwd: app, env: { TMPDIR: join(app, 'tmp') }, timeout: 30_000 });
    // Before: { error: "The child (pid …) could not load add from …: Cannot read properties of undefined (reading 'getStatus')" }
    expect(json).toEqual({ value: 42 });
  });
});
