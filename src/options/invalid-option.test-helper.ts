import { expect } from 'vitest';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { resolveOptions } from '../options/resolve.js';
import type { IsolatedOptions } from '../options/types.js';

// Shared by the options unit tests; not a test file itself.

/** The InvalidOptionError `action` throws. */
export function invalid(action: () => unknown): InvalidOptionError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).code).toBe('ERR_ISOLATED_INVALID_OPTION');
    return error as InvalidOptionError;
  }
  throw new Error('expected an InvalidOptionError, nothing was thrown');
}

export const resolveBad = (options: Record<string, unknown>) => resolveOptions(options as IsolatedOptions);
