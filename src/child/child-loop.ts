/**
 * The loop a child process runs: it waits for one call (or, when kept warm,
 * many), imports the module that defines the method, rebuilds `this` and the
 * arguments, runs the method and replies with the value or the error.
 * Started by the SDK's child entry (build-entry.ts), or, when the SDK is bundled
 * into an app, by the SDK's code inside the app's bundle (bundled-child.ts).
 * Nothing else is loaded until a call needs it.
 */
import { decode } from '../codec/decode.js';
import { argumentBlobReader, discardReplyBlobs, handOverBlobs } from '../codec/blobs.js';
import { encode } from '../codec/encode.js';
import { readRss, resetPeakRss } from '../measure/proc-status.js';
import { errorMessage, readyMessage } from '../protocol/build-messages.js';
import type { AbortMessage, CallMessage, ChildMessage, FailurePhase, ResolvedCall } from '../protocol/messages.js';
import { parseParentMessage } from '../protocol/parse-parent-message.js';
import { sendToParent } from './parent-channel.js';
import { resolveCall } from './resolve-call.js';
import { childRun } from './child-run.js';
import { CallStubs, answerCallback } from './callback-stubs.js';
import { driveStream, handleStreamControl } from './child-stream.js';
import { loadTarget } from './load-target.js';
import { startParentWatchdog } from './parent-watchdog.js';
import { WATCHDOG_FLAG } from '../shared/child-flags.js';
import { elapsedMs } from '../shared/clock.js';
import { unguardedEntryError } from './unguarded-entry.js';
import { errorReply, packedResult } from './call-replies.js';
import { afterReply, beforeReply, exitOnceDrained, watchOutputStreams } from './output-drain.js';
import { endOwnDescendants, ownToken } from '../shared/descendants.js';

const childSide = { side: 'the child' } as const;
const controllers = new Map<number, readonly AbortController[]>();
/** Most calls carry no AbortSignal. */
const NO_CONTROLLERS: readonly AbortController[] = Object.freeze([]);
let callsRun = 0;

function send(message: ChildMessage, then?: () => void): void {
  if (message.type === 'result' || message.type === 'error') beforeReply();
  sendToParent(message, (error) => {
    if (error && message.type === 'result') {
      discardReplyBlobs(message);
      return sendUnserializable(message.id, error);
    }
    // Sent: the result's files are the parent's to delete now.
    if (message.type === 'result') handOverBlobs(message.value.f);
    then?.();
  });
}

/** The reply couldn't be serialized after all: answer anyway, the caller must never hang. */
function sendUnserializable(id: number, error: Error): void {
  const reply = errorMessage({
    id,
    phase: 'encode',
    path: 'result',
    reason: `Node could not serialize it (${error.message})`,
    error: { v: error.message, t: false },
    stats: { loadMs: 0, runMs: 0, peakRss: 0 },
  });
  sendToParent(reply, exitOnceDrained);
}

/** A call whose target this child was never sent: the parent's bug, answered as a failed load rather than left hanging. */
function answerUnknownTarget(message: CallMessage): void {
  const error = new Error(
    `isolated-call: the parent sent call ${message.id} for target ${message.targetId}, which this child was never sent`,
  );
  send(errorReply(message.id, 'load', error, 'function', { loadMs: 0, runMs: 0, peakRss: 0 }), () => finish(message));
}

async function handleCall(message: ResolvedCall): Promise<void> {
  const { id, target } = message;
  const signals = !message.signals ? NO_CONTROLLERS : Array.from({ length: message.signals }, () => new AbortController());
  if (signals.length > 0) controllers.set(id, signals);
  if (message.measure && callsRun > 0) resetPeakRss();
  callsRun++;
  let phase: FailurePhase = 'load';
  let loadMs = 0;
  let runMs = 0;
  const stats = () => ({ loadMs: toMicros(loadMs), runMs: toMicros(runMs), peakRss: message.measure ? readRss().peak : 0 });
  // Made when the arguments hold a function; closed as soon as the method settles.
  let stubs: CallStubs | undefined;
  const callback = (index: number, path: string, name: string) =>
    (stubs ??= new CallStubs(
      id,
      target.method === undefined ? target.owner : `${target.owner}.${target.method}`,
      message.blobDir,
      target.module,
    )).stub(index, path, name);
  try {
    const t0 = elapsedMs();
    // No blob folder: a job from a fleet's worker, which anyone who can write to its queue wrote.
    const { fn, cls } = await loadTarget(target, !message.blobDir);
    loadMs = elapsedMs() - t0;
    const unguarded = unguardedEntryError(target);
    if (unguarded) throw unguarded;

    phase = 'decode';
    // Argument files are deleted as soon as they are open (when no retry needs them):
    // a parent killed by a signal then leaves nothing of a running call behind.
    // No folder (a job from another machine): no file is read, whatever a tag names.
    const readBlob = message.blobDir ? argumentBlobReader(message.retainArgs !== true) : undefined;
    const args = (
      message.args.t || message.args.p
        ? decode(message.args, 'args', { ...childSide, readBlob, signals: signals.map((c) => c.signal), callback })
        : message.args.v
    ) as unknown[];
    const self =
      target.kind === 'static'
        ? cls
        : target.kind === 'function'
          ? undefined
          : message.self !== undefined
            ? decode(message.self, 'this', { ...childSide, readBlob })
            : Object.create(cls!.prototype as object);

    phase = 'run';
    const t1 = elapsedMs();
    let value: unknown;
    // Counted while the method runs: a decorated method called in the child
    // outside every call is the app's own start-up running here (unguarded-entry.ts).
    const run = childRun();
    run.running++;
    try {
      value = await fn.apply(self, args);
      // An async generator method: drive it, sending what it yields; the reply carries its return value.
      if (message.stream) value = await driveStream(value, message, message.stream);
    } finally {
      run.running--;
      runMs = elapsedMs() - t1;
      stubs?.close();
    }

    phase = 'encode';
    const encoded = encode(value, 'result', message.blobDir ? { blobDir: message.blobDir } : {});
    send(packedResult(id, encoded, stats(), message.blobDir), () => finish(message));
  } catch (thrown) {
    stubs?.close();
    send(errorReply(id, phase, thrown, target.kind, stats()), () => finish(message));
  }
}

/** Milliseconds to the microsecond: `0.062`, not 17 digits of a double, on the wire of every reply. */
function toMicros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function finish(message: CallMessage): void {
  controllers.delete(message.id);
  afterReply(message.exitAfter === true);
}

function handleAbort(message: AbortMessage): void {
  const controller = controllers.get(message.id)?.[message.signal];
  if (!controller || controller.signal.aborted) return;
  let reason: unknown;
  try {
    reason = decode(message.reason, 'reason', childSide);
  } catch {
    reason = message.reason;
  }
  controller.abort(reason);
}

/**
 * One message from the parent (the loop's listener; the child loop's unit
 * tests call it too). Anything that isn't a well-formed message of ours (the
 * user's own traffic, another version) is left alone: never a crash of the entry.
 */
export function handleParentMessage(message: unknown): void {
  const parentMessage = parseParentMessage(message);
  if (parentMessage?.type === 'call') {
    const call = resolveCall(parentMessage);
    if (call) void handleCall(call);
    else answerUnknownTarget(parentMessage);
  } else if (parentMessage?.type === 'abort') handleAbort(parentMessage);
  else if (parentMessage?.type === 'callback-result' || parentMessage?.type === 'callback-error') answerCallback(parentMessage);
  else if (parentMessage?.type === 'stream-credit' || parentMessage?.type === 'stream-return') handleStreamControl(parentMessage);
}

/**
 * Starts answering the parent: listens for calls and aborts, leaves when the
 * channel closes, says `ready`. The caller has set `inChild` already, before
 * any user module loads, so decorated methods run inline here.
 */
export function startChildLoop(): void {
  watchOutputStreams(); // before any user code can make them
  // However it exits (after its call, retired, process.exit() in a method), what it started goes with it.
  const token = ownToken();
  process.on('exit', () => endOwnDescendants(token));
  childRun(); // from now on a decorated method called outside every call is the app's unguarded start-up
  process.on('message', handleParentMessage);

  // The parent is gone, or retired this child: leave, whatever is still scheduled, once its output is out.
  process.on('disconnect', exitOnceDrained);

  sendToParent(readyMessage());

  if (process.argv.includes(WATCHDOG_FLAG)) startParentWatchdog();
}
