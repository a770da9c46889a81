import { IsolatedCallError } from './isolated-call-error.js';

/**
 * The method already had `maxQueue` calls waiting for a child, so this call
 * was rejected at once, without running. Code `ERR_ISOLATED_CALL_QUEUE_FULL`.
 */
export class QueueFullError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_CALL_QUEUE_FULL';

  /** The `maxQueue` limit that was reached. */
  readonly maxQueue: number;

  constructor(target: string, maxQueue: number) {
    super(
      'ERR_ISOLATED_CALL_QUEUE_FULL',
      `${target} was rejected without running: ${maxQueue} ${maxQueue === 1 ? 'call is' : 'calls are'} already waiting for a child ` +
        `(maxQueue: ${maxQueue}). Raise maxQueue or concurrency, or slow down the callers.`,
    );
    this.maxQueue = maxQueue;
  }
}
