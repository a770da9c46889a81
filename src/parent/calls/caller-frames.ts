import { IsolatedCallError } from '../../errors/isolated-call-error.js';
import { ownFrameFolder } from '../../shared/sdk-location.js';

/** The line between the frames where an error arose (the child's, or none) and the caller's. */
const CALLER_MARKER = '    at <isolated-call: rethrown in the parent, called from>';

/** Drops the SDK's own frames from stack lines (none when the SDK is bundled into the app: its frames share the app's file). */
export function withoutOwnFrames(lines: readonly string[]): string[] {
  const own = ownFrameFolder();
  if (!own) return [...lines];
  return lines.filter((line) => !(line.startsWith('    at ') && (line.includes(own.path) || line.includes(own.url))));
}

/**
 * Rewrites an error's stack so it ends with the caller's frames, taken from
 * `callSite` (made where the caller awaits the call). An error raised by
 * the SDK in a timer or an exit handler otherwise points only at the SDK's
 * internals; a user error rethrown from the child keeps its child frames
 * above the marker.
 */
export function appendCallerFrames(error: Error, callSite: Error): void {
  const stack = typeof error.stack === 'string' ? error.stack : `${error.name}: ${error.message}`;
  if (stack.includes(CALLER_MARKER)) return;
  const callerFrames = withoutOwnFrames((callSite.stack ?? '').split('\n').slice(1));
  if (callerFrames.length === 0) return;
  Object.defineProperty(error, 'stack', {
    value: [...withoutOwnFrames(stack.split('\n')), CALLER_MARKER, ...callerFrames].join('\n'),
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/** Errors thrown by the method in the child, rebuilt here (read-reply.ts): they get the caller's frames too. */
const rethrown = new WeakSet<object>();

/** Marks an error the child's method threw, so its stack gets the caller's frames. */
export function markRethrown(error: unknown): unknown {
  if (error instanceof Error) rethrown.add(error);
  return error;
}

/**
 * The call's promise, whose SDK errors and rethrown errors end with the
 * caller's frames. They are taken only when the call fails, from V8's async
 * stack trace at that point: the functions awaiting the call (`at async
 * main (app.ts:12)`), as Node's own fs/promises errors show them. Not on
 * every call: capturing a stack costs a sixth of a warm round trip.
 */
export async function withCallerFrames<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof IsolatedCallError || (error instanceof Error && rethrown.has(error))) {
      appendCallerFrames(error, new Error('call site'));
    }
    throw error;
  }
}
