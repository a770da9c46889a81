import { IsolatedCallError } from './isolated-call-error.js';

/**
 * The call took longer than its `timeout` (counted from the call, start-up,
 * queueing and retries included). The child was killed. Code `ERR_ISOLATED_TIMEOUT`.
 */
export class CallTimeoutError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_TIMEOUT';

  /** The timeout that ran out, in milliseconds. */
  readonly timeout: number;

  constructor(target: string, timeout: number, pid: number | undefined) {
    super(
      'ERR_ISOLATED_TIMEOUT',
      `${target} did not finish within its timeout of ${timeout} ms` +
        (pid === undefined ? ' (it was still waiting for a child)' : `; its child (pid ${pid}) was killed`) +
        '. Raise the timeout option if the work needs longer.',
      { pid },
    );
    this.timeout = timeout;
  }
}
