import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChildExitedError, ChildOutOfMemoryError, IsolatedCallError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { readWhenWritten, waitForExit } from './helpers/processes.js';

afterAll(() => shutdown());

const crashes = () => loadFixture('tc39', 'crashes');
const dir = mkdtempSync(join(tmpdir(), 'ic-exit-'));

describe('the child dies before replying', () => {
  it('process.exit() in the method gives ChildExitedError with the exit code and stderr tail', async () => {
    const { Crashes } = await crashes();
    const error = await caught(new Crashes().exitWith(3));
    expect(error).toBeInstanceOf(ChildExitedError);
    expect(error).toBeInstanceOf(IsolatedCallError);
    expect(error).not.toBeInstanceOf(ChildOutOfMemoryError);
    expect(error.code).toBe('ERR_ISOLATED_CHILD_EXITED');
    expect(error.exitCode).toBe(3);
    expect(error.signal).toBeNull();
    expect(error.stderr).toContain('about to exit on purpose');
    expect(error.message).toContain('exited with code 3');
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('an uncaught exception in a timer gives ChildExitedError with the exception on stderr', async () => {
    const { Crashes } = await crashes();
    const error = await caught(new Crashes().throwInTimer());
    expect(error).toBeInstanceOf(ChildExitedError);
    expect(error.code).toBe('ERR_ISOLATED_CHILD_EXITED');
    expect(error.exitCode).toBe(1);
    expect(error.stderr).toContain('boom from a timer');
    expect(error.message).toContain('boom from a timer');
  });

  it('a SIGKILL from outside gives ChildExitedError with the signal', async () => {
    const { Crashes } = await crashes();
    const pidFile = join(dir, 'spin.pid');
    const call = caught(new Crashes().spinForever(pidFile));
    const pid = Number(await readWhenWritten(pidFile));
    process.kill(pid, 'SIGKILL');
    const error = await call;
    expect(error).toBeInstanceOf(ChildExitedError);
    expect(error.code).toBe('ERR_ISOLATED_CHILD_EXITED');
    expect(error.signal).toBe('SIGKILL');
    expect(error.exitCode).toBeNull();
    expect(error.pid).toBe(pid);
    expect(error.message).toContain('was killed by SIGKILL');
  });

  it('a native crash (abort) gives ChildExitedError with the signal', async () => {
    const { Crashes } = await crashes();
    const error = await caught(new Crashes().abortNatively());
    expect(error).toBeInstanceOf(ChildExitedError);
    expect(error).not.toBeInstanceOf(ChildOutOfMemoryError);
    expect(error.code).toBe('ERR_ISOLATED_CHILD_EXITED');
    expect(error.signal).toBe('SIGABRT');
  });

  it('running past maxOldSpaceSize gives ChildOutOfMemoryError', async () => {
    const { Crashes } = await crashes();
    const error = await caught(new Crashes().allocate());
    expect(error).toBeInstanceOf(ChildOutOfMemoryError);
    expect(error).toBeInstanceOf(ChildExitedError);
    expect(error.code).toBe('ERR_ISOLATED_CHILD_OOM');
    expect(error.stderr).toMatch(/heap/i);
    expect(error.message).toContain('maxOldSpaceSize 32 MB');
    expect(error.message).toContain('Raise the maxOldSpaceSize option');
    expect(await waitForExit(error.pid)).toBe(true);
  });
});

describe("the SDK's errors point at the caller", () => {
  /** A named function of this file, so its frame can be looked for in the stack. */
  async function callerOfTheTest<T>(run: () => Promise<T>): Promise<T> {
    return run();
  }

  it.each([
    ['ChildExitedError', 'Crashes.exitWith', (c: any) => c.exitWith(3)],
    ['ChildOutOfMemoryError', 'Crashes.allocate', (c: any) => c.allocate()],
    ['CallTimeoutError', 'Crashes.sleep', (c: any) => c.sleep(20_000)],
  ])('%s names the method and the pid, and its stack ends with the caller frames', async (name, target, call) => {
    const { Crashes } = await crashes();
    const error = await caught(callerOfTheTest(() => call(new Crashes())));
    expect(error.name).toBe(name);
    expect(error.message).toContain(target);
    expect(error.message).toContain(`pid ${error.pid}`);
    const stack: string = error.stack;
    const marker = stack.indexOf('at <isolated-call: rethrown in the parent, called from>');
    expect(marker).toBeGreaterThan(0);
    expect(stack.slice(marker)).toContain('errors-child-exit.test.ts');
    expect(stack).not.toMatch(/dist[\\/]index\.(c?js)/);
  });

  it("ChildOutOfMemoryError quotes V8's fatal report", async () => {
    const { Crashes } = await crashes();
    const error = await caught(new Crashes().allocate());
    expect(error.message).toMatch(/V8 reported:\n[\s\S]*(heap limit|out of memory)/i);
  });
});
