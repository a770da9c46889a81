/**
 * Callbacks through the scheduler over fake children: the child's stub calls
 * go through the parent's gate to the call's callback host, which runs the
 * functions and answers. With real children: test/callbacks.test.ts.
 */
import { afterEach, expect, test } from 'vitest';
import { ProtocolError } from '../errors/protocol-error.js';
import { callbackMessage } from '../protocol/build-messages.js';
import { flush, hang } from './fake-child.test-helper.js';
import { shutdown } from './lifecycle.js';
import { fakePool } from './pool-under-test.test-helper.js';

afterEach(() => shutdown({ force: true }));

test('the functions run in the order the child called them, and the call settles only after those called before the reply', async () => {
  const seen: number[] = [];
  const progress = async (percent: number) => {
    await flush(1); // an async function: the call must wait for it, not only start it
    seen.push(percent);
    return percent * 2;
  };
  const { call } = fakePool({}, async ({ callBack }) => {
    const first = await callBack(0, 10); // awaited: its answer comes back
    void callBack(0, 20); // not awaited: the reply follows at once
    return first;
  });
  const value = await call(progress);
  expect(value).toBe(20);
  expect(seen).toEqual([10, 20]);
});

test("the function's error answers the child's stub, which rejects with it", async () => {
  const { call } = fakePool({}, ({ callBack }) =>
    callBack(0).then(
      () => 'resolved',
      (error: unknown) => `rejected: ${JSON.stringify(error)}`,
    ),
  );
  const value = await call(() => {
    throw new Error('no disk');
  });
  expect(value).toMatch(/^rejected: .*no disk/);
});

test('a callback for a call that passed no functions breaks the protocol: ProtocolError, the child ended', async () => {
  const { call, children } = fakePool({ keepAlive: Infinity }, ({ message, child }) => {
    child.send(callbackMessage(message.id, 0, 1, { v: [], t: false }));
    return hang();
  });
  await expect(call('no functions here')).rejects.toBeInstanceOf(ProtocolError);
  await flush();
  expect(children.started[0]).toMatchObject({ endReason: 'protocol-error', exit: { signal: 'SIGKILL' } });
});
