import { IsolatedCallError } from './isolated-call-error.js';

/**
 * The call took longer than its `timeout` (counted from the call, start-up,
 * queueing and retries included). The child was killed. Code `ERR_ISOLATED_TIMEOUT`.
 */
export class CallTimeoutError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_TIMEOUT';

  /** The timeout that ran out, in milliseconds. */
  readonly timeout: number;

  /**
   * @param option Which limit ran out: the call's `timeout` (the default) or
   *   one attempt's `attemptTimeout`; the message names it.
   */
  constructor(target: string, timeout: number, pid: number | undefined, option: 'timeout' | 'attemptTimeout' = 'timeout') {
    super(
      'ERR_ISOLATED_TIMEOUT',
      (option === 'timeout'
        ? `${target} did not finish within its timeout of ${timeout} ms`
        : `An attempt of ${target} ran longer than its attemptTimeout of ${timeout} ms and was not retried`) +
        (pid === undefined ? ' (it was still waiting for a child)' : `; its child (pid ${pid}) was killed`) +
        `. Raise the ${option} option if the work needs longer.`,
      { pid },
    );
    this.timeout = timeout;
  }
}
