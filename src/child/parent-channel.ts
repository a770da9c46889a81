import type { ChildMessage } from '../protocol/messages.js';

/**
 * Writes one message to the parent; `done` hears whether it was written.
 * Throws when the channel is closed, as `process.send` does.
 */
export type SendToParent = (message: ChildMessage, done: (error: Error | null) => void) => void;

const overIpc: SendToParent = (message, done) => {
  process.send!(message, done);
};
let current: SendToParent = overIpc;

/**
 * The child's one way to its parent (the loop's replies, callback calls,
 * stream values, output notices): the IPC channel, or a fake parent in the
 * child loop's unit tests.
 */
export function sendToParent(message: ChildMessage, done: (error: Error | null) => void = () => {}): void {
  current(message, done);
}

/** Replaces the channel (the child loop's unit tests); without an argument, the IPC channel again. */
export function setParentChannel(send: SendToParent = overIpc): void {
  current = send;
}
