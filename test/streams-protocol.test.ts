import { afterAll, describe, expect, it } from 'vitest';
import { ProtocolError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';

afterAll(() => shutdown());

const fixture = () => loadFixture('tc39', 'stream-replies');

/** Every value of `stream` until it throws, and what it threw; the throw must come long before the child's 5 s sleep ends. */
async function valuesThenError(stream: AsyncGenerator<unknown>): Promise<{ values: unknown[]; error: any }> {
  const values: unknown[] = [];
  const started = performance.now();
  const error = await caught(
    (async () => {
      for await (const value of stream) values.push(value);
    })(),
  );
  expect(performance.now() - started).toBeLessThan(4_000);
  return { values, error };
}

describe('a child that sends malformed stream messages', () => {
  it.each([
    ['items not an array', /items are not an array of 1 to/],
    ['empty batch', /items are not an array of 1 to/],
    ['bytes missing', /bytes are not an array as long as its items/],
    ['negative bytes', /bytes\[0\] is -1/],
    ['item not encoded', /items\[0\] is "raw", not an encoded value/],
    ['over the credit', /more values than the stream's credit of 2/],
    ['undecodable item', /sent a value its codec never produces/],
    ['file outside the folder', /names the blob file "\/etc\/hostname"/],
  ])('%s: the stream fails with ProtocolError and the child is killed', async (kind, text) => {
    const { StreamReplies } = await fixture();
    const { values, error } = await valuesThenError(new StreamReplies().crafted(kind));
    expect(values).toEqual([]);
    expect(error, String(error?.stack ?? error)).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(text);
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('a well-formed crafted batch is taken as the stream’s values', async () => {
    const { StreamReplies } = await fixture();
    const values: unknown[] = [];
    for await (const value of new StreamReplies().crafted('valid')) values.push(value);
    expect(values).toEqual(['crafted', 'own']);
  });

  it('stream-items for a call that is not a stream fails that call with ProtocolError', async () => {
    const { StreamReplies } = await fixture();
    const error = await caught(new StreamReplies().notAStream());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toMatch(/which is not a streamed call/);
  });
});
