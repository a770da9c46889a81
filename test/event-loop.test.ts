import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fixtureFile } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
}

/** Runs a parent script with plain node; kills it (and fails) if it hasn't ended within `limit` ms. */
function runScript(name: string, limit: number): Promise<ScriptRun> {
  const script = fixtureFile(`scripts/${name}`);
  const started = Date.now();
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${name} was still running after ${limit} ms: something keeps its event loop alive.\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, limit);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe("the parent's event loop", () => {
  it('is not kept alive by a warm child or a standby child', async () => {
    // The warm child would idle for 60 s: ending well before proves it is not holding the script.
    const run = await runScript('lifecycle-idle-children.mjs', 20_000);
    expect(run.code, run.stderr).toBe(0);
    const { warm, standbyCall, children } = JSON.parse(run.stdout.trim()) as { warm: number; standbyCall: number; children: number[] };
    expect(children).toContain(warm);
    expect(children.length).toBe(2); // the warm child and the replacement standby child
    for (const pid of [...children, standbyCall]) expect(await waitForExit(pid, 3000)).toBe(true);
  });

  it('is kept alive by a pending call until its result arrives (fresh, warm and standby children)', async () => {
    const run = await runScript('lifecycle-pending-call.mjs', 20_000);
    expect(run.code, run.stderr).toBe(0);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { tag: string; pid: number });
    expect(results.map((r) => r.tag)).toEqual(['fresh', 'warm', 'standby']);
    for (const { pid } of results) expect(await waitForExit(pid, 3000)).toBe(true);
  });

  it('is kept alive by a consumer awaiting a stream, and not by a stream dropped unfinished', async () => {
    const run = await runScript('stream-alive.mjs', 20_000);
    expect(run.code, run.stderr).toBe(0);
    const { awaited, abandonedPid } = JSON.parse(run.stdout.trim()) as { awaited: number[]; abandonedPid: number };
    expect(awaited).toEqual([0, 1, 2]);
    expect(await waitForExit(abandonedPid, 3000)).toBe(true); // the child goes with its parent
  });
});
