import { fileURLToPath } from 'node:url';

/** The line between the frames where an error arose (the child's, or none) and the caller's. */
const CALLER_MARKER = '    at <isolated-call: rethrown in the parent, called from>';

/** This build's folder, as a path and as a URL: frames there are the SDK's plumbing, not the user's code. */
const ownDir = fileURLToPath(new URL('.', import.meta.url));
const ownDirUrl = new URL('.', import.meta.url).href;

/** Drops the SDK's own frames from stack lines. */
export function withoutOwnFrames(lines: readonly string[]): string[] {
  return lines.filter((line) => !(line.startsWith('    at ') && (line.includes(ownDir) || line.includes(ownDirUrl))));
}

/**
 * Rewrites an error's stack so it ends with the caller's frames, taken from
 * `callSite` (made where the isolated method was called). An error raised by
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
