import { IsolatedCallError, type IsolatedCallErrorInit } from '../../errors/isolated-call-error.js';

/**
 * A remote call's arguments (with `this`), or its result, encode to more
 * bytes than the runner's `maxPayloadBytes`: a BullMQ job lives in Redis,
 * which is not a file system. Code `ERR_ISOLATED_PAYLOAD_TOO_LARGE`.
 */
export class PayloadTooLargeError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_PAYLOAD_TOO_LARGE';
  /** What was too large: `args` (with `this`) or `result`. */
  readonly part: 'args' | 'result';
  /** Its size, encoded, in bytes. */
  readonly bytes: number;
  /** The limit it went over, in bytes. */
  readonly limit: number;

  constructor(target: string, part: 'args' | 'result', bytes: number, limit: number, init?: IsolatedCallErrorInit) {
    super(
      'ERR_ISOLATED_PAYLOAD_TOO_LARGE',
      `${target}: the ${part === 'args' ? 'arguments (with this)' : 'result'} encode to ${bytes} bytes, over the limit of ${limit} ` +
        'bytes of a remote call. Pass a reference instead (a path on shared storage, an object-store key, a URL), or raise ' +
        'maxPayloadBytes in bullmqRunner() (and startWorker()) if Redis can take it.',
      init,
    );
    this.part = part;
    this.bytes = bytes;
    this.limit = limit;
  }
}
