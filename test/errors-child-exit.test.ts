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
