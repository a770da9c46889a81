import { afterAll, describe, expect, it } from 'vitest';
import { ProtocolError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, loadFixture } from './helpers/fixtures.js';
import { runNodeJson } from './helpers/scripts.js';

afterAll(() => shutdown());

describe('the size of a message from a child', () => {
  it('a message over the limit fails the call with ProtocolError, and the parent buffers no more than the limit', () => {
    const { json } = runNodeJson([fixtureFile('scripts/message-flood.mjs'), '400', 'tight'], { timeout: 60_000 });
    expect(json.code).toBe('ERR_ISOLATED_PROTOCOL');
    expect(json.message).toContain('over the limit of 16.0 MB');
    // Unguarded, the whole 400 MB message is buffered and parsed (+1.2 GB of RSS).
    expect(json.peakGrowthMb).toBeLessThan(100);
  });

  it('the default limit is 256 MB', () => {
    const { json } = runNodeJson([fixtureFile('scripts/message-flood.mjs'), '300'], { timeout: 60_000 });
    expect(json.code).toBe('ERR_ISOLATED_PROTOCOL');
    expect(json.message).toContain('over the limit of 256.0 MB');
    expect(json.peakGrowthMb).toBeLessThan(700);
  });

  it('the limit is the maxMessageBytes option', async () => {
    const { TightMessages } = await loadFixture('tc39', 'oversized');
    const error = await caught(new TightMessages().manySmall(200_000));
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain('over the limit of 1.0 MB');
    expect(error.message).toContain('maxMessageBytes');
  });

  it('a large legitimate result still arrives', async () => {
    const { Oversized } = await loadFixture('tc39', 'oversized');
    const items = await new Oversized().manySmall(200_000);
    expect(items).toHaveLength(200_000);
    expect(items[199_999]).toBe('item 199999');
  });
});
