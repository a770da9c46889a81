// A fleet on this machine: a Redis of its own and two isolated-call workers,
// each a process standing in for a machine. main.ts starts it, renders through
// it, and stops it. Needs redis-server on the PATH (apt-get install redis-server).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Fleet {
  readonly redisUrl: string;
  stop(): Promise<void>;
}

/** Starts redis-server on a free port and `workers` workers whose root is `root`; resolves once all are ready. */
export async function startFleet(root: string, workers: number): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-example-'));
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const processes: ChildProcess[] = [redis];
  const stop = async () => {
    for (const child of processes.reverse()) {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(redis, 'Ready to accept connections');
    const redisUrl = `redis://127.0.0.1:${port}`;
    // The isolated-call-worker bin of the installed package (`npx isolated-call-worker` in an app).
    const bin = join(dirname(createRequire(import.meta.url).resolve('isolated-call/package.json')), 'dist/worker-bin.cjs');
    for (let i = 1; i <= workers; i++) {
      // --import tsx: the workers' children load renderer.ts, as the caller does.
      const worker = spawn(
        process.execPath,
        ['--import', 'tsx', bin, '--redis', redisUrl, '--queue', 'render', '--root', root, '--concurrency', '2'],
        { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, WORKER_NAME: `worker-${i}` } },
      );
      processes.push(worker);
      await waitFor(worker, 'ready');
    }
    return { redisUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitFor(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes(text)) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited (${code}) before it was ready:\n${output}`)));
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}
