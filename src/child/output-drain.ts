/**
 * A child's stdout and stderr, as a process's own: Node queues a write to a
 * full pipe inside the process, and `process.exit()` drops that queue. A
 * child therefore leaves (or, kept warm, tells the parent it may be left)
 * only once what it wrote is written, or once its reader has taken nothing
 * for OUTPUT_STALL_MS (a reader that stopped reading).
 */
import { OUTPUT_CHECK_MS, OUTPUT_STALL_MS, outputMessage } from '../protocol/output-messages.js';
import { sendToParent } from './parent-channel.js';

type Stdio = 'stdout' | 'stderr';

/** The process's streams that exist: Node makes each on first use, which costs milliseconds, so an unused one is never made here. */
const made = new Map<Stdio, NodeJS.WriteStream>();
let watched = false;

/**
 * Notes when the process makes its stdout and stderr (at the first
 * `console.log`, say), so that only streams that exist are looked at. Call
 * before any user code runs. Where the getter can't be wrapped, the streams
 * are taken as made.
 */
export function watchOutputStreams(): void {
  if (watched) return;
  watched = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(process, name);
    const getter = descriptor?.get;
    if (!getter || !descriptor.configurable) {
      made.set(name, process[name]);
      continue;
    }
    Object.defineProperty(process, name, {
      ...descriptor,
      get(this: NodeJS.Process) {
        const stream = getter.call(this) as NodeJS.WriteStream;
        made.set(name, stream);
        return stream;
      },
    });
  }
}

/** Bytes a stream still holds: in Node's queue, and of the write under way, what the OS hasn't taken yet. */
function held(stream: NodeJS.WriteStream): { queued: number; unwritten: number } {
  const handle = (stream as unknown as { _handle?: { writeQueueSize?: unknown } })._handle;
  const unwritten = typeof handle?.writeQueueSize === 'number' ? handle.writeQueueSize : 0;
  return { queued: stream.writableLength, unwritten };
}

function pendingStreams(): NodeJS.WriteStream[] {
  return [...made.values()].filter((stream) => !stream.destroyed && stream.writableLength > 0);
}

/** Whether stdout or stderr still holds bytes written earlier. */
export function outputPending(): boolean {
  return pendingStreams().length > 0;
}

let drain: { readonly done: (() => void)[] } | undefined;
/** Streams with an empty write of ours queued, whose callback says when all before it is written. */
const waitedOn = new WeakSet<NodeJS.WriteStream>();

/**
 * Calls `done` once stdout and stderr hold nothing more (all written), or
 * once no byte has moved for OUTPUT_STALL_MS; `moving` at most every
 * OUTPUT_CHECK_MS while bytes move. A call made while a wait is under way
 * joins it (its `moving` is not called).
 */
export function whenOutputDrained(moving: () => void, done: () => void): void {
  if (drain) {
    drain.done.push(done);
    return;
  }
  const waiting = { done: [done] };
  drain = waiting;
  let ended = false;
  let last = new Map(pendingStreams().map((stream) => [stream, held(stream)]));
  let stillFor = 0;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    drain = undefined;
    for (const callback of waiting.done) callback();
  };
  const check = () => {
    if (ended) return;
    const streams = pendingStreams();
    if (streams.length === 0) return end();
    for (const stream of streams) if (!waitedOn.has(stream)) waitOn(stream, check);
  };
  const timer = setInterval(() => {
    const now = new Map(pendingStreams().map((stream) => [stream, held(stream)]));
    if (now.size === 0) return end();
    const moved = [...now].some(([stream, { queued, unwritten }]) => {
      const before = last.get(stream);
      return before === undefined || queued < before.queued || unwritten < before.unwritten;
    });
    last = now;
    stillFor = moved ? 0 : stillFor + OUTPUT_CHECK_MS;
    if (stillFor >= OUTPUT_STALL_MS) end();
    else if (moved) moving();
  }, OUTPUT_CHECK_MS);
  check();
}

/**
 * Calls `then` once what `stream` holds now is written, or the stream
 * failed: a write's callback runs once every write before it is out, the
 * earliest sign that all is.
 */
function waitOn(stream: NodeJS.WriteStream, then: () => void): void {
  waitedOn.add(stream);
  stream.write('', () => {
    waitedOn.delete(stream);
    then();
  });
}

/** Whether the parent was last told that this child's output drains. */
let saidDraining = false;

function sayDraining(draining: boolean): void {
  saidDraining = draining;
  // A retired child's channel is closed: it drains without saying so.
  if (process.connected) sendToParent(outputMessage(draining));
}

/** Before a reply: the parent must know that this child's output still drains before the call settles. */
export function beforeReply(): void {
  if (outputPending()) sayDraining(true);
}

/** After a reply went out: leave once the output is out (`exit`), or tell the parent when it is. */
export function afterReply(exit: boolean): void {
  if (exit) exitOnceDrained();
  else if (saidDraining)
    whenOutputDrained(
      () => sayDraining(true),
      () => sayDraining(false),
    );
}

/** Leaves the process once what it wrote to stdout and stderr is written, or given up on. */
export function exitOnceDrained(): void {
  if (!outputPending()) process.exit(0);
  whenOutputDrained(
    () => sayDraining(true),
    () => process.exit(0),
  );
}
