/**
 * What a child says about its stdout and stderr after a call: Node queues a
 * write to a full pipe in the process, and a process that exits drops that
 * queue. A child whose output is still queued when it replies says so before
 * the reply, and keeps saying so while bytes move; the parent keeps it (and
 * itself) alive meanwhile, whatever `grace` says (docs/lifecycle.md).
 */
import { MARKER, PROTOCOL_VERSION } from './version.js';

/** How long a child waits for a reader that takes none of its output before it gives up on it. */
export const OUTPUT_STALL_MS = 10_000;
/** How often a child whose output is queued checks that bytes move, and says so. */
export const OUTPUT_CHECK_MS = 1000;
/** How long the parent holds a child after it last said its output moves: the child gives up by then. */
export const OUTPUT_HOLD_MS = OUTPUT_STALL_MS + 2 * OUTPUT_CHECK_MS;

/**
 * Child -> parent: `draining`: what it wrote to stdout or stderr is still
 * queued and moving (sent before a reply, then at most every
 * OUTPUT_CHECK_MS while bytes move); otherwise: all written, or given up on.
 */
export interface OutputMessage {
  readonly [MARKER]: typeof PROTOCOL_VERSION;
  readonly type: 'output';
  readonly draining: boolean;
}

export function outputMessage(draining: boolean): OutputMessage {
  return { [MARKER]: PROTOCOL_VERSION, type: 'output', draining };
}
