import { IsolatedCallError, type IsolatedCallErrorInit } from './isolated-call-error.js';

/**
 * Raised in the child: the stub of a function passed as an argument was
 * called after its isolated call had settled (kept in a variable, say, and
 * called from a timer or a later call of a warm child), or the call settled
 * before the parent answered a stub call nobody awaited. A stub lives exactly
 * as long as its call. Code `ERR_ISOLATED_CALLBACK_EXPIRED`.
 */
export class CallbackExpiredError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_CALLBACK_EXPIRED';

  /** Where the function was in the call's arguments: `args[1].onProgress`. */
  readonly path: string;

  /**
   * @param target The call's `Class.method` (or function id).
   * @param pending True when the stub was called in time, but its call settled before the parent answered.
   */
  constructor(path: string, target: string, pending = false, init?: IsolatedCallErrorInit) {
    super(
      'ERR_ISOLATED_CALLBACK_EXPIRED',
      pending
        ? `The callback ${path} of ${target} was still waiting for the parent's answer when the call settled, so the answer ` +
            `can't arrive. Await the callback before the method returns if you need its result.`
        : `The callback ${path} of ${target} was called after that isolated call had settled. The child's stub of a function ` +
            'lives as long as the call that passed it: call it (and await it) before the method returns, or pass the ' +
            'function again to the next call.',
      init,
    );
    this.path = path;
  }
}
