import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addProject, cleanEnv, ok, packTarball, prepareWorkspace, root, run } from '../helpers/consumers.js';

/*
 * A Next.js 16 app written by hand (test/fixtures/consumer/nextjs: no
 * create-next-app, whose template fetches fonts at build time), in a fresh
 * project with the packed tarball, next, react and typescript from npm. Its
 * lib/transpiler.ts defines an isolate() function and an @Isolated() method
 * (standard decorators: Next's default tsconfig) that import typescript and
 * an app-local module; a route handler, a server action called from a route
 * handler, a server component and a real server action request (POST with
 * the Next-Action header) call them. next.config.ts has the one line
 * `export default withIsolatedCall(nextConfig)`. examples/nextjs is built
 * and called here too.
 *
 * Slow (each build is a minute on two cores): run by `npm run test:field`,
 * not `npm test` (vitest.config.ts leaves test/field/ out unless
 * FIELD_TESTS is set, as test/field/run.mjs does).
 */

const WORKSPACES = {
  16: { name: 'nextjs', packages: ['next@16', 'react', 'react-dom', 'typescript@5', '@types/react', '@types/node'] },
  15: { name: 'nextjs-15', packages: ['next@15', 'react@19', 'react-dom@19', 'typescript@5', '@types/react', '@types/node'] },
};
const BUILD_TIMEOUT = 300_000;

const workspaces = {} as Record<keyof typeof WORKSPACES, string>;
let packDir: string;

beforeAll(async () => {
  packDir = mkdtempSync(join(tmpdir(), 'isolated-call-pack-'));
  const tarball = await packTarball(packDir);
  for (const version of [16, 15] as const) workspaces[version] = await prepareWorkspace(WORKSPACES[version], tarball);
}, 600_000);

afterAll(() => {
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

interface Transpiled {
  code: string;
  pid: number;
}

interface RouteReply {
  fn: Transpiled;
  method: Transpiled;
  serverPid: number;
  typescriptLoaded: boolean | string;
  error?: unknown;
}

function project(name: string, version: keyof typeof WORKSPACES = 16): string {
  const dir = addProject(workspaces[version], name, 'nextjs');
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  return dir;
}

/** The project's own next: the workspace's it lives in. */
const next = (dir: string) => join(dir, '../node_modules/.bin/next');
const env = { NEXT_TELEMETRY_DISABLED: '1' };

/** A port no one listens on, on the loopback address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A Next server (`next start` or `next dev`) in its own process group, so stopping it ends its workers too. */
class NextServer {
  readonly output: string[] = [];
  private constructor(
    private readonly process: ChildProcess,
    readonly base: string,
  ) {
    process.stdout?.on('data', (chunk) => this.output.push(String(chunk)));
    process.stderr?.on('data', (chunk) => this.output.push(String(chunk)));
  }

  static async start(dir: string, args: string[]): Promise<NextServer> {
    const port = await freePort();
    const child = spawn(next(dir), [...args, '-H', '127.0.0.1', '-p', String(port)], {
      cwd: dir,
      env: cleanEnv(env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new NextServer(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 60_000;
    while (!server.output.join('').includes('Ready')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await server.stop();
        throw new Error(`next ${args.join(' ')} did not start:\n${server.output.join('')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return server;
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(this.base + path, { signal: AbortSignal.timeout(120_000) });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}\n${this.output.join('')}`);
    return (path.startsWith('/api/') ? JSON.parse(text) : text) as T;
  }

  /** The server component's output: the server action's result, rendered into the page. */
  async page(): Promise<Transpiled & { serverPid: number }> {
    const html = await this.get<string>('/');
    const json = /<pre id="result">(.*?)<\/pre>/s.exec(html)?.[1]?.replaceAll('&quot;', '"');
    if (!json) throw new Error(`the page has no result:\n${html}`);
    return JSON.parse(json);
  }

  /** A real server action request, as the browser sends it: POST with the action's id, the arguments as JSON. */
  async action(id: string, args: unknown[]): Promise<string> {
    const response = await fetch(`${this.base}/`, {
      method: 'POST',
      headers: { 'Next-Action': id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
      body: JSON.stringify(args),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the action: ${response.status} ${text}\n${this.output.join('')}`);
    return text;
  }

  /** Kills the server's process group and waits (up to 5 s) until its process is gone. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.unref();
  }
}

/** The id Next gave the server action transpileAction, from the build's manifest. */
function actionId(dir: string): string {
  for (const manifest of ['.next/server/server-reference-manifest.json', '.next/dev/server/server-reference-manifest.json']) {
    let actions: Record<string, { exportedName?: string }>;
    try {
      actions = JSON.parse(readFileSync(join(dir, manifest), 'utf8')).node;
    } catch {
      continue;
    }
    const found = Object.entries(actions).find(([, action]) => action.exportedName === 'transpileAction');
    if (found) return found[0];
  }
  throw new Error('no server-reference-manifest.json names transpileAction');
}

/** Every way the app calls isolated code, checked: run in a child (another pid), typescript loaded there only. */
async function expectAllWork(server: NextServer, banner: string, dir: string): Promise<void> {
  const reply = await server.get<RouteReply>('/api/x');
  expect(reply.error).toBeUndefined();
  expect(reply.fn.code).toBe(`/* ${banner} */ var x = 1;`);
  expect(reply.method.code).toBe(`/* ${banner} */ var y = "a";`);
  expect(reply.fn.pid).not.toBe(reply.serverPid);
  expect(reply.method.pid).not.toBe(reply.serverPid);
  expect(reply.typescriptLoaded).toBe(false);

  const action = await server.get<Transpiled & { serverPid: number }>('/api/action');
  expect(action.code).toBe(`/* ${banner} */ var a = 2;`);
  expect(action.pid).not.toBe(action.serverPid);

  const page = await server.page();
  expect(page.code).toBe(`/* ${banner} */ var z = true;`);
  expect(page.pid).not.toBe(page.serverPid);

  // The action's reply is React's flight format: one row (`<id>:<json>`) holds the value it returned; dev adds debug rows.
  const flight = await server.action(actionId(dir), ['let q: number = 3']);
  const row = /^[0-9a-f]+:(\{"code".*\})$/m.exec(flight)?.[1];
  expect(row, flight).toBeDefined();
  expect(JSON.parse(row!)).toMatchObject({ code: `/* ${banner} */ var q = 3;` });
  expect(JSON.parse(row!).pid).not.toBe(page.serverPid);
}

describe.each([
  ['Turbopack (the default)', []],
  ['webpack', ['--webpack']],
])('next build && next start, %s', (bundler, flags) => {
  test(
    'a route handler, a server action and a server component run app-local isolated code in children',
    async () => {
      const dir = project(`build-${flags.length ? 'webpack' : 'turbopack'}`);
      const started = performance.now();
      await ok(next(dir), ['build', ...flags], dir, { timeout: BUILD_TIMEOUT, env });
      const built = performance.now();
      const server = await NextServer.start(dir, ['start']);
      try {
        await expectAllWork(server, 'v1', dir);
      } finally {
        await server.stop();
      }
      console.log(
        `next build ${bundler}: build ${Math.round(built - started)} ms, start + calls ${Math.round(performance.now() - built)} ms`,
      );
    },
    BUILD_TIMEOUT + 120_000,
  );
});

describe.each([
  ['Turbopack (the default)', []],
  ['webpack', ['--webpack']],
])('next dev, %s', (_bundler, flags) => {
  test('isolated code runs in children, and an edit (to the module or to a file it imports) reaches the next call', async () => {
    const dir = project(`dev-${flags.length ? 'webpack' : 'turbopack'}`);
    const server = await NextServer.start(dir, ['dev', ...flags]);
    try {
      await expectAllWork(server, 'v1', dir);
      const banner = join(dir, 'lib/banner.ts');
      writeFileSync(banner, readFileSync(banner, 'utf8').replace('v1', 'v2'));
      await until(async () => (await server.get<RouteReply>('/api/x')).fn.code.startsWith('/* v2 */'));
      await expectAllWork(server, 'v2', dir);
      const transpiler = join(dir, 'lib/transpiler.ts');
      // ES2015 (2) as the target: `let` stays `let`.
      writeFileSync(
        transpiler,
        readFileSync(transpiler, 'utf8').replaceAll(
          'transpileModule(source, {})',
          'transpileModule(source, { compilerOptions: { target: 2 } })',
        ),
      );
      await until(async () => (await server.get<RouteReply>('/api/x')).fn.code === '/* v2 */ let x = 1;');
      const reply = await server.get<RouteReply>('/api/x');
      expect(reply.method.code).toBe('/* v2 */ let y = "a";');
      expect(reply.typescriptLoaded).toBe(false);
    } finally {
      await server.stop();
    }
  }, 240_000);
});

test(
  'examples/nextjs: its route handler transpiles in a child (what run.mjs does, in this workspace)',
  async () => {
    const dir = join(workspaces[16], 'example');
    cpSync(join(root, 'examples/nextjs'), dir, { recursive: true, filter: (path) => !/[\\/](?:node_modules|\.next)$/.test(path) });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    await ok(next(dir), ['build'], dir, { timeout: BUILD_TIMEOUT, env });
    const server = await NextServer.start(dir, ['start']);
    try {
      const response = await fetch(`${server.base}/api/transpile`, { method: 'POST', body: 'let x: number = 1; enum E { A }' });
      const reply = (await response.json()) as { output: string; diagnostics: string[]; typescriptLoadedInServer: boolean };
      expect(reply.output).toContain('let x = 1;');
      expect(reply.output).toContain('E[E["A"] = 0] = "A";');
      expect(reply.diagnostics).toEqual([]);
      expect(reply.typescriptLoadedInServer).toBe(false);
    } finally {
      await server.stop();
    }
  },
  BUILD_TIMEOUT + 60_000,
);

test(
  'Next.js 15: next build (webpack, its default) && next start, next.config.mjs',
  async () => {
    const dir = project('next-15', 15);
    rmSync(join(dir, 'next.config.ts'));
    // An .mjs config: Next 15 compiles a next.config.ts with typescript, in the server too, which isModuleLoaded() would see.
    writeFileSync(
      join(dir, 'next.config.mjs'),
      "import { withIsolatedCall } from 'isolated-call/next';\n\nexport default withIsolatedCall({});\n",
    );
    const started = performance.now();
    await ok(next(dir), ['build'], dir, { timeout: BUILD_TIMEOUT, env });
    const built = performance.now();
    const server = await NextServer.start(dir, ['start']);
    try {
      await expectAllWork(server, 'v1', dir);
    } finally {
      await server.stop();
    }
    console.log(
      `Next.js 15 next build: build ${Math.round(built - started)} ms, start + calls ${Math.round(performance.now() - built)} ms`,
    );
  },
  BUILD_TIMEOUT + 120_000,
);

test(
  'without withIsolatedCall, the build fails on @Isolated() with a message naming the one line to add',
  async () => {
    const dir = project('no-wrapper');
    writeFileSync(
      join(dir, 'next.config.ts'),
      "import type { NextConfig } from 'next';\nconst nextConfig: NextConfig = {};\nexport default nextConfig;\n",
    );
    const build = await run(next(dir), ['build'], dir, { timeout: BUILD_TIMEOUT, env });
    expect(build.code).not.toBe(0);
    expect(build.output).toContain('2018-09 proposal');
    expect(build.output).toContain('export default withIsolatedCall(nextConfig)');
    expect(build.output).toContain('"experimentalDecorators"');
  },
  BUILD_TIMEOUT + 60_000,
);

/** Polls `check` (a failed request counts as not yet) until it holds, for up to a minute. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('the edit did not reach a call within a minute');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
