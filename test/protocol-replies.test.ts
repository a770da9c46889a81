import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';
import { statsOf } from './helpers/sdk-state.js';

afterAll(() => shutdown());

let fx: Record<string, any>;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(async () => {
  fx = await loadFixture('tc39', 'protocol-replies');
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

/** The call rejected with a ProtocolError quickly, the child is gone, and the method's slot is free again. */
async function expectProtocolError(call: Promise<unknown>, label: string, text?: RegExp): Promise<ProtocolError> {
  const started = performance.now();
  const error = await caught(call);
  expect(error, String(error?.stack ?? error)).toBeInstanceOf(ProtocolError);
  expect(error.code).toBe('ERR_ISOLATED_PROTOCOL');
  expect(performance.now() - started).toBeLessThan(4_000); // before the child's own reply (5 s) could come
  if (text) expect(error.message).toMatch(text);
  expect(await waitForExit(error.pid)).toBe(true);
  expect(statsOf(label)?.running).toBe(0);
  return error;
}

describe('a child that sends malformed replies for its own call', () => {
  it.each([
    ['null stats', /stats are null/],
    ['no value', /value is undefined, not an encoded value/],
    ['negative runMs', /stats.runMs is -1/],
    // The channel is JSON: the NaN arrives as null, which is refused just the same.
    ['NaN peakRss', /stats.peakRss is null/],
    ['value not encoded', /not an encoded value/],
    ['t not boolean', /value.t is "yes"/],
    ['f not strings', /value.f\[0\]/],
    ['unknown phase', /phase "explode"/],
    ['huge reason', /reason is not a string of at most/],
    [
      'error message over 1 MiB',
      /at error: it is a thrown value over the bounds its sender cuts to: its message or stack is longer than 1048576/,
    ],
    [
      'over 1,000 errors',
      /at error\.errors\[\d+\]: it is a thrown value over the bounds its sender cuts to: it holds more than 1000 errors/,
    ],
    ['undecodable tree', /never produces, at result: it is a malformed "n" tag/],
    ['id not an integer', /id 1.5 is not a positive safe integer/],
    ['id of no call', /stats are null/],
    ['packed value not V8 data', /value.v is not a packed value/],
    ['packed value not text', /value.v is not a packed value \(TypeError: a packed value is number/],
  ])('%s: ProtocolError for that call, child killed, no unhandled rejection', async (kind, text) => {
    await expectProtocolError(new fx.Replies().send(kind), 'Replies.send', text);
  });

  it.each([
    ['not JSON', 'this is not json\n'],
    ['JSON cut by a newline', '{"__isolatedCall":3,\n"type":"result"}\n'],
  ])('bytes written straight to the channel (%s): ProtocolError, child killed, parent alive', async (_, text) => {
    await expectProtocolError(new fx.Replies().writeRaw(text), 'Replies.writeRaw', /not a message/);
    expect(await new fx.Replies().pid()).toEqual(expect.any(Number));
  });

  it('the parent is alive, the concurrency-1 method still runs calls, and a well-formed crafted reply is accepted', async () => {
    for (const kind of ['null stats', 'no value', 'id not an integer']) await caught(new fx.Replies().send(kind));
    expect(await new fx.Replies().send('valid')).toBe('crafted');
    expect(await new fx.Replies().pid()).toEqual(expect.any(Number));
    expect(statsOf('Replies.send')).toMatchObject({ running: 0, queued: 0 });
  });
});

describe('blob files a reply names', () => {
  // On the blob folder's file system (a hard link can't cross one), in a folder of this test's own.
  const own = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ic-test-outside-'));
  const outside = join(own, 'secret');
  beforeAll(() => writeFileSync(outside, 'secret outside the folder'));
  afterAll(() => rmSync(own, { recursive: true, force: true }));

  it.each([
    ['/etc/hostname listed', /is not in the parent's folder/],
    ['/etc/hostname unlisted', /is not listed in the reply's files/],
    ['a FIFO', /not a regular file/],
    ['a symlink', /could not be read safely: ELOOP/],
    ['a hard link', /has 2 names/],
    ['a file outside in f', /is not in the parent's folder/],
    ["the parent's name", /is not named like a file of this child/],
    ['a path escaping the folder', /is not in the parent's folder/],
    ['a packed file of garbage', /its blob file is not a V8-serialized value/],
    ['a packed file its f does not list', /names a packed value's file that its f doesn't list/],
    ['a packed file outside the folder', /is not in the parent's folder/],
    ['a packed file in an error', /large data is not expected here/],
  ])('%s: ProtocolError for that call only, at once', async (kind, text) => {
    const hostname = readFileSync('/etc/hostname', 'utf8');
    await expectProtocolError(new fx.Replies().blob(kind, outside), 'Replies.blob', text);
    // Nothing outside the folder was read into a value, or deleted.
    expect(readFileSync(outside, 'utf8')).toBe('secret outside the folder');
    expect(readFileSync('/etc/hostname', 'utf8')).toBe(hostname);
  });

  it("a file in the folder under the parent's name is neither read nor deleted; the child's own leftovers are", async () => {
    const folder = readdirSync('/dev/shm').find((name) => name.startsWith(`isolated-call-${process.pid}-`));
    expect(folder).toBeDefined();
    const planted = `/dev/shm/${folder}/${process.pid}-${'0'.repeat(16)}`;
    rmSync(planted, { force: true });
    await caught(new fx.Replies().blob("the parent's name", outside));
    expect(existsSync(planted)).toBe(true); // the parent deletes only what it wrote or the child could have
    rmSync(planted);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the child's exit handling
    expect(readdirSync(`/dev/shm/${folder}`)).toEqual([]); // FIFOs, links of killed children: gone
  });
});
