/**
 * The child's loop in-process, with a fake parent: calls go in through
 * handleParentMessage as the parent builds them (build-messages.ts), and what
 * the child writes back is read through the parent's gate
 * (parseChildMessage). The target is a small CommonJS module written to this
 * test's own temporary folder. Exiting after a call (exitAfter) and the
 * process wiring stay with the integration tests: they end the process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectCallbacks } from '../codec/callback-tag.js';
import { decode } from '../codec/decode.js';
import { encode } from '../codec/encode.js';
import { abortMessage, callbackErrorMessage, callbackResultMessage, callMessage } from '../protocol/build-messages.js';
import type { CallbackMessage, ChildMessage, ErrorMessage, ResultMessage, TargetRef } from '../protocol/messages.js';
import { parseChildMessage } from '../protocol/parse-child-message.js';
import { handleParentMessage } from './child-loop.js';
import { setParentChannel } from './parent-channel.js';

const CALC = `
class Calc {
  static async double(x) { return x * 2; }
  static async fail(message) { throw new RangeError(message); }
  static waitForAbort(signal, started) {
    started();
    return new Promise((resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  }
  static async report(progress) {
    const answer = await progress(50);
    return 'the parent answered ' + answer;
  }
  static async reportAfterReturn(progress) {
    Calc.later = progress;
    return 'returned';
  }
}
module.exports = { Calc };
`;

let folder: string;
let moduleUrl: string;
/** What the child wrote to its parent, as the parent's gate read it. */
const received: ChildMessage[] = [];
const listeners = new Set<() => void>();
let nextId = 1;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'isolated-call-child-loop-'));
  writeFileSync(join(folder, 'calc.cjs'), CALC);
  writeFileSync(join(folder, 'broken.cjs'), "throw new Error('this module cannot load');");
  moduleUrl = pathToFileURL(join(folder, 'calc.cjs')).href;
  setParentChannel((message, done) => {
    const parsed = parseChildMessage(JSON.parse(JSON.stringify(message)));
    if (parsed.kind !== 'message') throw new Error(`the parent's gate refused it: ${JSON.stringify(parsed)}`);
    received.push(parsed.message);
    for (const listener of listeners) listener();
    setImmediate(() => done(null));
  });
});

afterAll(() => {
  setParentChannel();
  rmSync(folder, { recursive: true, force: true });
});

/** Sends a call of `Calc[method]` with these arguments; returns its message id. */
function call(method: string, args: unknown[], options: { module?: string; targetId?: number; knownTarget?: boolean } = {}): number {
  const id = nextId++;
  const signals: AbortSignal[] = [];
  const callbacks = collectCallbacks();
  const target: TargetRef = { module: options.module ?? moduleUrl, owner: 'Calc', method, kind: 'static' };
  const fields = {
    id,
    targetId: options.targetId ?? id,
    target,
    self: undefined,
    args: encode(args, 'args', { signals, callbacks, blobDir: folder }),
    signals: signals.length,
    exitAfter: false,
    measure: false,
    consumeArgs: true,
  };
  handleParentMessage(callMessage(fields, folder, { knowsTarget: () => options.knownTarget === true, blobDir: undefined }));
  return id;
}

/** The next message of call `id` of one of these types, once the child sends it. */
function next<T extends ChildMessage['type']>(id: number, ...types: T[]): Promise<Extract<ChildMessage, { type: T }>> {
  const find = () => received.find((message) => 'id' in message && message.id === id && types.includes(message.type as T));
  return new Promise((resolve) => {
    const check = () => {
      const found = find();
      if (!found) return;
      listeners.delete(check);
      received.splice(received.indexOf(found), 1);
      resolve(found as Extract<ChildMessage, { type: T }>);
    };
    listeners.add(check);
    check();
  });
}

const reply = (id: number) => next(id, 'result', 'error') as Promise<ResultMessage | ErrorMessage>;
const thrownBy = (message: ErrorMessage) => decode(message.error, 'error', { side: 'the parent' }) as Error;

describe('a call', () => {
  test('runs the method and replies with its value', async () => {
    expect(await reply(call('double', [21]))).toMatchObject({ type: 'result', value: { v: 42 } });
  });

  test("replies with the method's error, phase run", async () => {
    const message = (await reply(call('fail', ['no such page']))) as ErrorMessage;
    expect(message.phase).toBe('run');
    expect(thrownBy(message)).toMatchObject({ name: 'RangeError', message: 'no such page' });
  });

  test('a module that cannot load fails the call in phase load', async () => {
    const message = (await reply(call('double', [1], { module: pathToFileURL(join(folder, 'broken.cjs')).href }))) as ErrorMessage;
    expect(message.phase).toBe('load');
    expect(thrownBy(message).message).toMatch(/this module cannot load/);
  });

  test('a call whose target the child was never sent is answered as a failed load, not left hanging', async () => {
    const message = (await reply(call('double', [1], { targetId: 999_999, knownTarget: true }))) as ErrorMessage;
    expect(message.phase).toBe('load');
    expect(thrownBy(message).message).toMatch(/which this child was never sent/);
  });

  test("someone else's traffic on the channel is left alone", () => {
    const before = received.length;
    for (const message of [{ hello: 'world' }, null, 'text', { __isolatedCall: 'other', type: 'call' }]) handleParentMessage(message);
    expect(received).toHaveLength(before);
  });
});

describe('abort', () => {
  test("the parent's abort aborts the child's copy of the signal while the method runs, with the reason", async () => {
    const controller = new AbortController();
    const id = call('waitForAbort', [controller.signal, () => {}]);
    await next(id, 'callback'); // the method runs
    handleParentMessage(abortMessage(id, 0, encode(new Error('changed my mind'), 'reason')));
    const message = (await reply(id)) as ErrorMessage;
    expect(message.phase).toBe('run');
    expect(thrownBy(message).message).toBe('changed my mind');
  });
});

describe('callbacks (callback-stubs.ts)', () => {
  test("a function argument is a stub: calling it asks the parent, and the parent's answer is its value", async () => {
    const id = call('report', [(percent: number) => percent]);
    const asked: CallbackMessage = await next(id, 'callback');
    expect(asked).toMatchObject({ callback: 0, seq: 1, args: { v: [50] } });
    handleParentMessage(callbackResultMessage(id, asked.seq, encode('ok', 'result')));
    expect(await reply(id)).toMatchObject({ type: 'result', value: { v: 'the parent answered ok' } });
  });

  test("the function's error in the parent rejects the stub's promise in the child", async () => {
    const id = call('report', [() => {}]);
    const asked = await next(id, 'callback');
    handleParentMessage(callbackErrorMessage(id, asked.seq, encode(new TypeError('disk full'), 'error', { thrown: true })));
    expect(thrownBy((await reply(id)) as ErrorMessage)).toMatchObject({ name: 'TypeError', message: 'disk full' });
  });

  test('a stub called after its call settled rejects with CallbackExpiredError and sends nothing', async () => {
    const id = call('reportAfterReturn', [() => {}]);
    expect(await reply(id)).toMatchObject({ type: 'result' });
    // The module as the child loaded it: through Node's require.
    const { Calc } = createRequire(import.meta.url)(join(folder, 'calc.cjs')) as { Calc: { later: () => Promise<unknown> } };
    await expect(Calc.later()).rejects.toMatchObject({ name: 'CallbackExpiredError' });
    expect(received.filter((message) => message.type === 'callback')).toHaveLength(0);
  });
});
