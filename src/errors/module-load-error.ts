import { IsolatedCallError, type IsolatedCallErrorInit } from './isolated-call-error.js';

/**
 * The child could not import the module that defines the isolated method, or
 * could not find the class or method in it. `cause` is the child's own error.
 * Code `ERR_ISOLATED_MODULE_LOAD`.
 */
export class ModuleLoadError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_MODULE_LOAD';

  /** The module the child tried to load (file URL). */
  readonly module: string;

  constructor(module: string, message: string, init?: IsolatedCallErrorInit) {
    super('ERR_ISOLATED_MODULE_LOAD', message, init);
    this.module = module;
  }
}
