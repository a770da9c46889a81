import { describe, expect, it } from 'vitest';
import { resolveCall } from '../child/resolve-call.js';
import { callMessage, type CallFields, type ChannelMemory } from './build-messages.js';
import { PROTOCOL_VERSION, type CallMessage } from './messages.js';
import { parseParentMessage } from './parse-parent-message.js';

// A call message leaves out what the child was told before on its channel
// and flags that aren't set; the child fills them back in (child/resolve-call.ts).

const target = { module: 'file:///app/render.js', owner: 'Renderer', kind: 'instance', method: 'render' } as const;
const fields = (id: number, over: Partial<CallFields> = {}): CallFields => ({
  id,
  targetId: 7,
  target,
  self: undefined,
  args: { v: [1], t: false },
  signals: 0,
  exitAfter: false,
  measure: false,
  consumeArgs: true,
  ...over,
});

/** What the parent's sender remembers of one child: what it wrote. */
function memory(): ChannelMemory & { blobDir: string | undefined; wrote(message: CallMessage): CallMessage } {
  const targets = new Set<number>();
  return {
    blobDir: undefined as string | undefined,
    knowsTarget: (id) => targets.has(id),
    wrote(message) {
      if (message.target) targets.add(message.targetId);
      if (message.blobDir !== undefined) this.blobDir = message.blobDir;
      return JSON.parse(JSON.stringify(message)) as CallMessage;
    },
  };
}

describe('call messages on one channel', () => {
  it('carry the target and the folder the first time only, and no unset flag', () => {
    const channel = memory();
    const first = channel.wrote(callMessage(fields(1), '/dev/shm/f', channel));
    const second = channel.wrote(callMessage(fields(2), '/dev/shm/f', channel));
    expect(first).toMatchObject({ target, blobDir: '/dev/shm/f' });
    expect(Object.keys(second).sort()).toEqual(['__isolatedCall', 'args', 'id', 'targetId', 'type']);
  });

  it('carry the folder again when it changes, and each flag that is set', () => {
    const channel = memory();
    channel.wrote(callMessage(fields(1), '/dev/shm/f', channel));
    const over = { signals: 2, exitAfter: true, measure: true, consumeArgs: false };
    const message = channel.wrote(callMessage(fields(2, over), '', channel));
    expect(message).toMatchObject({ blobDir: '', signals: 2, exitAfter: true, measure: true, retainArgs: true });
    expect(message.target).toBeUndefined();
  });

  it('a message built before the first was written still carries the target (both were held)', () => {
    const channel = memory();
    const first = callMessage(fields(1), '/dev/shm/f', channel);
    const second = callMessage(fields(2), '/dev/shm/f', channel);
    expect([channel.wrote(first).target, channel.wrote(second).target]).toEqual([target, target]);
  });

  it('are completed by the child from what came before, through its gate', () => {
    const channel = memory();
    const sent = [1, 2, 3].map((id) => channel.wrote(callMessage(fields(id, { targetId: 40 + id }), '/dev/shm/g', channel)));
    const again = channel.wrote(callMessage(fields(4, { targetId: 41 }), '/dev/shm/g', channel));
    expect([again.target, again.blobDir]).toEqual([undefined, undefined]);
    const resolved = [...sent, again].map((m) => resolveCall(parseParentMessage(m) as CallMessage));
    expect(resolved.map((call) => call?.target)).toEqual([target, target, target, target]);
    expect(resolved.map((call) => call?.blobDir)).toEqual(['/dev/shm/g', '/dev/shm/g', '/dev/shm/g', '/dev/shm/g']);
  });

  it('naming a target the child was never sent resolves to nothing (answered as a failed load)', () => {
    const message = parseParentMessage({ __isolatedCall: PROTOCOL_VERSION, type: 'call', id: 9, targetId: 999, args: { v: [], t: false } });
    expect(message?.type).toBe('call');
    expect(resolveCall(message as CallMessage)).toBeUndefined();
  });

  it.each([
    ['no targetId', { targetId: undefined }],
    ['a target without a module', { target: { owner: 'x' } }],
    ['a folder that is not a string', { blobDir: 3 }],
    ['a negative signal count', { signals: -1 }],
  ])('with %s is not a call the child acts on', (_, over) => {
    expect(
      parseParentMessage({ __isolatedCall: PROTOCOL_VERSION, type: 'call', id: 1, targetId: 1, args: { v: [], t: false }, ...over }),
    ).toBeUndefined();
  });
});
