/**
 * A MethodPool over fake children (fake-child.test-helper.ts), with the real
 * option resolution, the real child command and the process-wide registry:
 * only the processes are fake.
 */
import { collectCallbacks } from '../../codec/callback-tag.js';
import { encode } from '../../codec/encode.js';
import { resolveOptions } from '../../options/resolve.js';
import type { IsolatedOptions } from '../../options/types.js';
import type { CallJob } from '../calls/call-job.js';
import { childCommand } from '../children/child-command.js';
import { FakeChildren, type FakeMethod } from './fake-child.test-helper.js';
import { MethodPool } from './method-pool.js';

export interface PoolUnderTest {
  readonly pool: MethodPool;
  /** Every child the pool started (standbys included). */
  readonly children: FakeChildren;
  /** Calls the method with these arguments (an AbortSignal among them is the call's signal, a function a callback). */
  call(...args: unknown[]): Promise<unknown>;
}

let methods = 0;

/** The default method: returns its first argument. */
const echo: FakeMethod = ({ args }) => args[0];

export function fakePool(options: IsolatedOptions = {}, method: FakeMethod = echo): PoolUnderTest {
  const label = `Fake.method${++methods}`;
  const resolved = resolveOptions(options);
  const children = new FakeChildren(method);
  const pool = new MethodPool(label, resolved, childCommand(resolved, undefined), children.spawn);
  return { pool, children, call: (...args) => pool.run(callJob(label, args)) };
}

/** A call as invoke.ts prepares it; `inline`, so nothing is written beside the messages. */
export function callJob(label: string, args: unknown[]): CallJob {
  const signals: AbortSignal[] = [];
  const callbacks = collectCallbacks();
  return {
    label,
    target: { module: 'file:///fake/module.js', owner: label, kind: 'function' },
    self: undefined,
    args: encode(args, 'args', { signals, callbacks }),
    signals,
    ...(callbacks.fns.length > 0 ? { callbacks } : {}),
    startedAt: performance.now(),
    trace: undefined,
    inline: true,
  };
}

/** A promise the test settles: a method that runs until the test lets it return. */
export function deferred<T = unknown>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** How a promise settled, without waiting for it: its outcome once it has, else 'pending'. */
export function track<T>(promise: Promise<T>): { readonly state: 'pending' | 'fulfilled' | 'rejected'; readonly value: unknown } {
  const tracked = { state: 'pending' as 'pending' | 'fulfilled' | 'rejected', value: undefined as unknown };
  promise.then(
    (value) => Object.assign(tracked, { state: 'fulfilled', value }),
    (error) => Object.assign(tracked, { state: 'rejected', value: error }),
  );
  return tracked;
}
