import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';
import { statsOf } from './helpers/sdk-state.js';

// A child subverted by the data it processes may write callback calls of its
// own on the channel: each goes through parseChildMessage and the call's
// callback host, and a bad one fails that call, never the parent.
afterAll(() => shutdown());

let fx: Record<string, any>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  fx = await loadFixture('tc39', 'callback-replies');
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

describe('a child that sends malformed callback calls', () => {
  it.each([
    ['unknown index', /callback for call \d+: it calls back function #7, but the call passed 1 function/],
    ['negative index', /callback for call \d+: its callback -1 is not an index/],
    ['seq zero', /its seq 0 is not a positive safe integer/],
    ['args not encoded', /its args is an array, not an encoded value/],
    ['args not an array', /its arguments are string, not an array/],
    ['undecodable args', /never produces, at args\[1\]\(…\)\[0\]: it is a malformed "n" tag/],
    ['function tag in args', /it is a function tag outside the arguments of a call/],
    ['file outside', /names the blob file "\/etc\/hostname", which is not in the parent's folder/],
  ])('%s: ProtocolError for that call, the callback never runs, child killed', async (kind, text) => {
    let ran = false;
    const started = performance.now();
    const error = await caught(
      new fx.CallbackReplies().send(kind, () => {
        ran = true;
      }),
    );
    expect(error, String(error?.stack ?? error)).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('ERR_ISOLATED_PROTOCOL');
    expect(error.message).toMatch(text);
    expect(performance.now() - started).toBeLessThan(4_000); // before the child's own reply (5 s)
    expect(ran).toBe(false);
    expect(await waitForExit(error.pid)).toBe(true);
    expect(statsOf('CallbackReplies.send')?.running).toBe(0);
  });

  it('a call that passed no function: any callback call is a ProtocolError', async () => {
    const error = await caught(new fx.CallbackReplies().noFunction('valid'));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/callback for call \d+: its call passed no functions/);
  });

  it('(control) a well-formed crafted callback call runs the function and the call goes on', async () => {
    const got: unknown[] = [];
    expect(await new fx.CallbackReplies().send('valid', (text: string) => got.push(text))).toBe('the real reply');
    expect(got).toEqual(['hi']);
  });
});
