import { afterAll, describe, expect, it } from 'vitest';
import { IsolatedCallError, ProtocolError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';

afterAll(() => shutdown());

const fixture = () => loadFixture('tc39', 'protocol-misuse');

describe('a child that breaks the protocol', () => {
  it('a message of another protocol version gives ProtocolError naming both versions, and the child is killed', async () => {
    const { ProtocolMisuse } = await fixture();
    const error = await caught(new ProtocolMisuse().otherVersion());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toBeInstanceOf(IsolatedCallError);
    expect(error.code).toBe('ERR_ISOLATED_PROTOCOL');
    expect(error.message).toContain('protocol 99');
    expect(error.message).toContain('Two versions of isolated-call are installed');
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('a malformed message gives ProtocolError', async () => {
    const { ProtocolMisuse } = await fixture();
    const error = await caught(new ProtocolMisuse().malformed());
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.code).toBe('ERR_ISOLATED_PROTOCOL');
    expect(error.message).toContain('malformed message');
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('unmarked traffic on the channel is ignored', async () => {
    const { ProtocolMisuse } = await fixture();
    expect(await new ProtocolMisuse().foreignTraffic()).toBe('fine');
  });

  it('the parent survives and later calls work', async () => {
    const { ProtocolMisuse } = await fixture();
    await caught(new ProtocolMisuse().malformed());
    expect(await new ProtocolMisuse().ok()).toEqual(expect.any(Number));
  });
});
