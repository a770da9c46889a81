import { ProtocolError } from '../../errors/protocol-error.js';
import type { ChannelProblem } from './message-size-guard.js';

/** Why a child broke the protocol, as far as the parent can tell, and what to do. */
export type ProtocolFailureHint = 'other-version' | 'subverted' | 'too-large';

const HINTS: Readonly<Record<ProtocolFailureHint, string>> = {
  'other-version':
    'Two versions of isolated-call are installed; make the module that defines the method import the same one as the caller (npm ' +
    'ls isolated-call).',
  subverted: 'The child may have been subverted by the data it was processing, or it wrote on the IPC channel itself (process.send).',
  'too-large': 'Return less data at once, or raise the maxMessageBytes option if such results are expected.',
};

/** The error for calls whose child sent something this parent refuses. */
export function protocolFailureError(pid: number | undefined, reason: string, hint: ProtocolFailureHint): ProtocolError {
  return new ProtocolError(`The child (pid ${pid}) sent a malformed message: ${reason}. ${HINTS[hint]}`, { pid });
}

/** Bytes for a message: MB above one, bytes below. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${bytes} bytes`;
}

/** Why the channel guard stopped reading a child (message-size-guard.ts), and the hint that goes with it. */
export function channelProblemReason(problem: ChannelProblem, maxMessageBytes: number): [string, ProtocolFailureHint] {
  return problem.kind === 'too-large'
    ? [`a message of ${formatBytes(problem.bytes)}, over the limit of ${formatBytes(maxMessageBytes)}, was dropped unread`, 'too-large']
    : [`it wrote something that is not a message to the channel (${String(problem.error)})`, 'subverted'];
}
