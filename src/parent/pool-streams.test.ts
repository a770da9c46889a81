/**
 * A streamed call (an async generator method) through the scheduler over
 * fake children: the child's `stream-items` go through the parent's gate to
 * the call's StreamSink. With real children: test/streams*.test.ts.
 */
import { afterEach, expect, test } from 'vitest';
import { ChildExitedError } from '../errors/child-exited-error.js';
import { streamItemsMessage } from '../protocol/stream-messages.js';
import { type FakeCall, flush, hang } from './fake-child.test-helper.js';
import { shutdown } from './lifecycle.js';
import { callJob, fakePool } from './pool-under-test.test-helper.js';
import { StreamSink } from './stream-sink.js';

afterEach(() => shutdown({ force: true }));

/** Sends these values as the child's generator yields them. */
function yieldValues({ message, child }: FakeCall, ...values: string[]): void {
  child.send(
    streamItemsMessage(
      message.id,
      values.map((v) => ({ v, t: false })),
      values.map((v) => v.length),
    ),
  );
}

/** Runs a streamed call on the pool; the sink ends with the call, as stream-call.ts does. */
function stream(pool: ReturnType<typeof fakePool>['pool']): StreamSink {
  const sink = new StreamSink();
  pool.run({ ...callJob(pool.label, []), stream: sink }).then(
    (value) => sink.end({ value }),
    (error: unknown) => sink.end({ error }),
  );
  return sink;
}

test("the child's values reach the consumer in order, and the call's value ends the stream", async () => {
  const { pool, children } = fakePool({}, (call) => {
    yieldValues(call, 'a', 'b');
    return 'the end';
  });
  const sink = stream(pool);
  expect(await sink.next()).toEqual({ value: 'a', done: false });
  expect(await sink.next()).toEqual({ value: 'b', done: false });
  expect(await sink.next()).toEqual({ value: 'the end', done: true });
  expect(children.started[0]!.received[0]).toMatchObject({ type: 'call', stream: { items: 1024 } }); // streamAhead's default
});

test('a stream whose child died before it delivered anything is retried; one that delivered values is not', async () => {
  let attempts = 0;
  const before = fakePool({ retries: 1 }, (call) => {
    if (++attempts === 1) call.child.crash(1);
    else yieldValues(call, 'fresh');
    return attempts === 1 ? hang() : 'done';
  });
  const retried = stream(before.pool);
  expect(await retried.next()).toEqual({ value: 'fresh', done: false });
  expect(before.children.started).toHaveLength(2);

  const after = fakePool({ retries: 1 }, (call) => {
    yieldValues(call, 'once');
    call.child.crash(1);
    return hang();
  });
  const failed = stream(after.pool);
  expect(await failed.next()).toEqual({ value: 'once', done: false });
  await expect(failed.next()).rejects.toBeInstanceOf(ChildExitedError);
  await flush();
  expect(after.children.started).toHaveLength(1); // 'once' would come twice
});
