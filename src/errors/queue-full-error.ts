import { IsolatedCallError } from './isolated-call-error.js';

/**
 * The method already had `maxQueue` calls waiting for a child, so this call
 * was rejected at once, without running. Code `ERR_ISOLATED_QUEUE_FULL`.
 */
export class QueueFullError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_QUEUE_FULL';

  /** The `maxQueue` limit that was reached. */
  readonly maxQueue: number;

  constructor(target: string, maxQueue: number) {
    const why =
      maxQueue === 0
        ? 'no child was free, and with maxQueue: 0 calls never wait for one'
        : `${maxQueue} ${maxQueue === 1 ? 'call was' : 'calls were'} already waiting for a child (maxQueue: ${maxQueue})`;
    super(
      'ERR_ISOLATED_QUEUE_FULL',
      `${target} was rejected without running: ${why}. Raise maxQueue or concurrency, or slow down the callers.`,
    );
    this.maxQueue = maxQueue;
  }
}
