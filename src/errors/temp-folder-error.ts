import { IsolatedCallError, type IsolatedCallErrorInit } from './isolated-call-error.js';

/**
 * The folder for large payloads (in `/dev/shm` or the temp dir) could not be
 * made, or is no longer the private folder this process made: it vanished,
 * became a link, changed owner or mode. Nothing is written to or read from it
 * then. Code `ERR_ISOLATED_TEMP_FOLDER`.
 */
export class TempFolderError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_TEMP_FOLDER';

  /** The folder concerned. */
  readonly path: string;
  /** What is wrong with it, e.g. `is owned by uid 65534, not 0`. */
  readonly problem: string;

  constructor(path: string, problem: string, init?: IsolatedCallErrorInit) {
    super(
      'ERR_ISOLATED_TEMP_FOLDER',
      `The folder for large payloads ${path} ${problem}, so isolated-call won't use it. ` +
        'Another user or program may have replaced or removed it; the next call uses a new folder. ' +
        'If this repeats, check who can write to /dev/shm (or TMPDIR) and that it has room.',
      init,
    );
    this.path = path;
    this.problem = problem;
  }
}
