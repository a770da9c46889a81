// The types of what a call reports and which classes cross: public, and read
// by the options, the parent and the codec alike, so they sit below all three.

/** A class the codec can rebuild on the other side. */
// biome-ignore lint/suspicious/noExplicitAny: "any callable" in TypeScript; unknown[] rejects typed parameters
export type Class = abstract new (...args: any[]) => unknown;

/** What the `onCallEnd` hook receives after every call, successful or not. */
export interface CallInfo {
  /** `Class.method`, `Class.staticMethod` or the function's id. */
  readonly target: string;
  /** PID of the child that ran the call, if one was started. */
  readonly pid: number | undefined;
  /** Whether the call resolved (false: it rejected, see `error`). */
  readonly ok: boolean;
  /** The error the call rejected with, when `ok` is false. */
  readonly error?: unknown;
  /** Milliseconds from the call to its settlement. */
  readonly totalMs: number;
  /** Milliseconds the call waited for a free child (queue). */
  readonly queueMs: number;
  /** Milliseconds until the child was ready; 0 for a warm or standby child. */
  readonly startupMs: number;
  /** Milliseconds the child spent importing the module (0 when it was loaded already). */
  readonly loadMs: number;
  /** Milliseconds the method ran in the child. */
  readonly runMs: number;
  /** The child's peak resident set size during the call, in bytes (0 when unknown). */
  readonly peakRss: number;
  /** How many attempts it took (more than 1 only with `retries`). */
  readonly attempts: number;
}
