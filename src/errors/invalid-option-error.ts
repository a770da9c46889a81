import { IsolatedCallError } from './isolated-call-error.js';

/** An option has a wrong type or value; the message names it. Code `ERR_ISOLATED_INVALID_OPTION`. */
export class InvalidOptionError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_INVALID_OPTION';

  /** The option's name, e.g. `timeout`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('ERR_ISOLATED_INVALID_OPTION', `Invalid isolated-call option "${option}": ${message}`);
    this.option = option;
  }
}
