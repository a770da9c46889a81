import { IsolatedCallError, type IsolatedCallErrorInit } from './isolated-call-error.js';

/**
 * The child sent something that is not a valid message of this SDK version:
 * usually two installed versions of isolated-call meeting. Code `ERR_ISOLATED_PROTOCOL`.
 */
export class ProtocolError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_PROTOCOL';

  constructor(message: string, init?: IsolatedCallErrorInit) {
    super('ERR_ISOLATED_PROTOCOL', message, init);
  }
}
