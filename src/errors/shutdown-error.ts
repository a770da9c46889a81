import { IsolatedCallError, type IsolatedCallErrorInit } from './isolated-call-error.js';

/** The call was queued or running when `shutdown()` ended the children. Code `ERR_ISOLATED_SHUTDOWN`. */
export class ShutdownError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_SHUTDOWN';

  constructor(target: string, init?: IsolatedCallErrorInit) {
    super('ERR_ISOLATED_SHUTDOWN', `${target} was cancelled because shutdown() was called.`, init);
  }
}
