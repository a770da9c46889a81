/**
 * What the parent has said on this child's channel before: a call message
 * carries its target only until the child has it under the target's number,
 * and the blob folder only when it changes (protocol/build-messages.ts).
 * The parent sends in order and marks what it sent only once it was written,
 * so a call whose target isn't here is a bug, answered as a failed load.
 */
import type { CallMessage, ResolvedCall, TargetRef } from '../protocol/messages.js';

const targets = new Map<number, TargetRef>();
let blobDir = '';

/** The call with its target and folder filled in (the message itself, completed), or undefined for an unknown target. */
export function resolveCall(message: CallMessage): ResolvedCall | undefined {
  const call = message as { -readonly [K in keyof ResolvedCall]: ResolvedCall[K] };
  if (message.target) targets.set(message.targetId, message.target);
  else {
    const known = targets.get(message.targetId);
    if (!known) return undefined;
    call.target = known;
  }
  if (message.blobDir === undefined) call.blobDir = blobDir;
  else blobDir = message.blobDir;
  return call;
}
