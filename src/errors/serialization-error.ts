import { IsolatedCallError, type IsolatedCallErrorInit } from './isolated-call-error.js';

/**
 * A value cannot cross the process boundary. `path` says where it is, e.g.
 * `args[1].handler`, `this.logger`, `result.handle`. For arguments and `this`
 * this is raised before any child is started. Code `ERR_ISOLATED_SERIALIZE`.
 */
export class SerializationError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_SERIALIZE';

  /** Where the value sits: `args[0].onProgress`, `this.socket`, `result.items[3]`. */
  readonly path: string;
  /** Why it can't cross, without the path: `it is a function (onProgress)...`. */
  readonly reason: string;

  constructor(path: string, reason: string, init?: IsolatedCallErrorInit) {
    const where = init?.pid === undefined ? '' : ` (reported by the child, pid ${init.pid})`;
    super('ERR_ISOLATED_SERIALIZE', `Cannot send ${path} to the other process${where}: ${reason}`, init);
    this.path = path;
    this.reason = reason;
  }
}
