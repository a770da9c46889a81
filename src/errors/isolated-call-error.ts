const BRAND = Symbol.for('isolated-call.error');

/** Stable error codes, one per error class. */
export type IsolatedCallErrorCode =
  | 'ERR_ISOLATED_CHILD_EXITED'
  | 'ERR_ISOLATED_CHILD_OOM'
  | 'ERR_ISOLATED_TIMEOUT'
  | 'ERR_ISOLATED_ABORTED'
  | 'ERR_ISOLATED_SERIALIZE'
  | 'ERR_ISOLATED_MODULE_LOAD'
  | 'ERR_ISOLATED_PROTOCOL'
  | 'ERR_ISOLATED_TEMP_FOLDER'
  | 'ERR_ISOLATED_SHUTDOWN'
  | 'ERR_ISOLATED_QUEUE_FULL'
  | 'ERR_ISOLATED_INVALID_OPTION'
  | 'ERR_ISOLATED_CALLBACK_EXPIRED'
  | 'ERR_ISOLATED_PAYLOAD_TOO_LARGE'
  | 'ERR_ISOLATED_REMOTE_JOB'
  | 'ERR_ISOLATED_JOB_REFUSED'
  | 'ERR_ISOLATED_JOB_LOST';

/** Fields every SDK error accepts besides its message. */
export interface IsolatedCallErrorInit {
  cause?: unknown;
  /** PID of the child the error is about, when there is one. */
  pid?: number;
}

/**
 * Base class of every error the SDK itself raises. Check `code`, or use
 * `instanceof`: it also recognises errors made by another copy of the SDK
 * in the same process (the CommonJS and ESM builds loaded side by side).
 */
export class IsolatedCallError extends Error {
  /** A stable string to branch on; never changes between versions. */
  readonly code: IsolatedCallErrorCode;
  /** PID of the child involved, if a child was involved. */
  readonly pid: number | undefined;

  constructor(code: IsolatedCallErrorCode, message: string, init: IsolatedCallErrorInit = {}) {
    super(message, 'cause' in init ? { cause: init.cause } : undefined);
    this.code = code;
    this.pid = init.pid;
    // The class chain, by name, so instanceof works across SDK copies.
    const chain: string[] = [];
    for (let c: Function = new.target; c && c !== Error; c = Object.getPrototypeOf(c) as Function) chain.push(c.name);
    Object.defineProperty(this, BRAND, { value: chain });
    Object.defineProperty(this, 'name', { value: new.target.name, configurable: true, writable: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const chain = typeof value === 'object' && value !== null ? (value as { [BRAND]?: unknown })[BRAND] : undefined;
    return Array.isArray(chain) && chain.includes(this.name);
  }
}
