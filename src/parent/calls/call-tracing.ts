// Not loaded lazily like other built-ins (shared/builtin.ts): Node loads it
// anyway with `net`, which every process with an IPC channel has, parent and child.
import diagnosticsChannel from 'node:diagnostics_channel';
import type { CallTraceContext } from '../../contracts/call-trace.js';

import { diagnosticsChannels } from '../../shared/diagnostics-channels.js';

export type { CallTraceContext } from '../../contracts/call-trace.js';
export { diagnosticsChannels } from '../../shared/diagnostics-channels.js';

const callChannel = diagnosticsChannel.tracingChannel<unknown, CallTraceContext>(diagnosticsChannels.call);
const { start, end, asyncStart, asyncEnd, error } = callChannel;

/**
 * Whether anyone listens to the call events. Checked before anything is
 * built for them, so calls cost nothing more when nobody does. (Node 20 before
 * 20.13 has no `TracingChannel.hasSubscribers`: the five channels are asked.)
 */
export function isCallTraced(): boolean {
  return start.hasSubscribers || end.hasSubscribers || asyncStart.hasSubscribers || asyncEnd.hasSubscribers || error.hasSubscribers;
}

/** A fresh context for a call of `target`; the timings stay 0 until the call settles. */
export function newCallContext(target: string): CallTraceContext {
  return { target, pid: undefined, totalMs: 0, queueMs: 0, startupMs: 0, loadMs: 0, runMs: 0, peakRss: 0, attempts: 0 };
}

/**
 * Runs `call` (the synchronous part of a call, which returns the call's
 * promise) under Node's `tracePromise`, so the events come in Node's
 * documented order and stores bound to `start` (an APM's active span) are
 * current while the call is handed over: `start`, `end` once `call` returned,
 * then on settlement `error` (on rejection) and `asyncStart`, `asyncEnd`.
 * `call` never throws: every failure is a rejection, so it takes the same path.
 */
export function traceCall(context: CallTraceContext, call: () => Promise<unknown>): Promise<unknown> {
  return callChannel.tracePromise(call, context);
}
