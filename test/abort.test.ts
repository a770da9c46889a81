import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CallAbortedError, IsolatedCallError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { readWhenWritten, waitForExit } from './helpers/processes.js';
import { statsOf } from './helpers/sdk-state.js';

afterAll(() => shutdown());

const signals = () => loadFixture('tc39', 'signals');
const dir = mkdtempSync(join(tmpdir(), 'ic-abort-'));
let n = 0;
const tempFile = () => join(dir, `report-${n++}.json`);

/** What the child wrote to `file`, once it has (a JSON report, or its pid). */
const readReport = async (file: string): Promise<any> => JSON.parse(await readWhenWritten(file));

describe('AbortSignal arguments', () => {
  it('rejects at once with CallAbortedError, the child gets a live signal with the reason, and is killed after the grace period', async () => {
    const { Signals } = await signals();
    const file = tempFile();
    const controller = new AbortController();
    const call = caught(new Signals().listen(file, controller.signal));
    const pid = await readReport(`${file}.pid`);
    controller.abort('user cancelled');
    const error = await call; // the method never returns: this settles only because the parent rejects at once
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(error).toBeInstanceOf(IsolatedCallError);
    expect(error.code).toBe('ERR_ISOLATED_ABORTED');
    expect(error.cause).toBe('user cancelled');
    expect(error.pid).toBe(pid);
    // The child's listener ran during the grace period, with the reason.
    expect(await readReport(file)).toEqual({ aborted: true, reason: 'user cancelled', isSignal: true });
    // Default grace is 1 s; the child ignores the abort, so it is killed.
    expect(await waitForExit(pid, 5000)).toBe(true);
  });

  it('finds a signal inside an options object and passes an Error reason through', async () => {
    const { Signals } = await signals();
    const file = tempFile();
    const controller = new AbortController();
    const call = caught(new Signals().listenInOptions(file, { label: 'job-1', signal: controller.signal }));
    const pid = await readReport(`${file}.pid`);
    const reason = new RangeError('too slow');
    controller.abort(reason);
    const error = await call;
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(error.cause).toBe(reason);
    const seen = await readReport(file);
    expect(seen.label).toBe('job-1');
    expect(await waitForExit(pid, 5000)).toBe(true);
  });

  it('rejects an already-aborted signal without starting a child', async () => {
    const { Signals } = await signals();
    const error = await caught(new Signals().neverRuns(AbortSignal.abort('too late')));
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(error.code).toBe('ERR_ISOLATED_ABORTED');
    expect(error.cause).toBe('too late');
    expect(error.pid).toBeUndefined();
    expect(error.message).toContain('before a child was started');
    expect(statsOf('Signals.neverRuns')?.alive ?? 0).toBe(0);
  });

  it('a signal that aborts while the child starts reaches the method already aborted', async () => {
    const { Signals } = await signals();
    const file = tempFile();
    const controller = new AbortController();
    const call = caught(new Signals().checkAtStart(file, controller.signal));
    controller.abort('early'); // the child is forked but not yet running the method
    const error = await call;
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(error.pid).toEqual(expect.any(Number));
    const seen = await readReport(file);
    expect(seen).toEqual({ pid: error.pid, aborted: true, reason: 'early' });
    expect(await waitForExit(seen.pid, 5000)).toBe(true);
  });
});
