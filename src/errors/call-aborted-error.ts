import { IsolatedCallError } from './isolated-call-error.js';

/**
 * An AbortSignal passed in the arguments aborted. `cause` is the signal's
 * reason. Code `ERR_ISOLATED_ABORTED`.
 */
export class CallAbortedError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_ABORTED';

  constructor(target: string, reason: unknown, pid: number | undefined) {
    super(
      'ERR_ISOLATED_ABORTED',
      `${target} was aborted` +
        (pid === undefined ? ' before a child was started' : `; its child (pid ${pid}) gets a short grace period, then is killed`) +
        '.',
      { cause: reason, pid },
    );
  }
}
