import { ProtocolError } from '../errors/protocol-error.js';
import type { CallJob } from '../parent/calls/call-job.js';
import { interpretReply } from '../parent/calls/read-reply.js';
import { parseChildMessage } from '../protocol/parse-child-message.js';
import { unpack } from './wire.js';

/** The worker's reply, checked by the same gate as a local child's, then rebuilt as a local reply would be. */
export async function fromReply(returnvalue: unknown, job: CallJob): Promise<unknown> {
  let message: unknown;
  try {
    message = unpack(typeof returnvalue === 'string' ? returnvalue : '');
  } catch {
    message = undefined;
  }
  const parsed = parseChildMessage(message);
  const message_ = parsed.kind === 'message' ? parsed.message : undefined;
  // Only a reply: a worker never passes on its child's other messages (ready, callbacks).
  const reply = message_?.type === 'result' || message_?.type === 'error' ? message_ : undefined;
  // Files beside the message can't cross machines: a reply naming one is not from our worker.
  if (!reply || (reply.type === 'result' ? reply.value.f : reply.error.f)) {
    const why = parsed.kind === 'invalid' ? parsed.reason : 'it is not a reply of isolated-call';
    throw new ProtocolError(`The worker's result for ${job.label} can't be used: ${why}. Are caller and workers the same version?`);
  }
  return interpretReply(reply, job, undefined);
}
