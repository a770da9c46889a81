import type { CallInfo, Class } from '../contracts/call-info.js';
import type { SuperJSONOption } from '../contracts/superjson.js';
import type { CallRunner } from './runner.js';

export type { CallInfo, Class } from '../contracts/call-info.js';
export type { SuperJSONLike } from '../contracts/superjson.js';

// Every option below (and in ProcessOptions) has a row in the option table,
// src/options/table.ts, which holds its scope, default and validator; the
// compiler checks that the two list the same options with the same types.
// Change a default in both places, and in docs/api.md.

/**
 * Options of `@Isolated()`, `isolate()` and `configure()`. All optional; each
 * default is given below. Options on a decorator override `configure()`'s.
 */
export interface IsolatedOptions {
  /**
   * The module the child imports to find the method: an absolute path or a
   * `file:` URL. Default: found automatically where the decorator ran. Set it
   * for bundled code, where the decorator runs inside a bundle the child
   * shouldn't (or can't) import.
   */
  module?: string | URL;
  /**
   * Id under which the child finds the class (or the function of `isolate()`).
   * Default: the class name, which must then be exported from `module`, or
   * registered with `registerClass(Class, id)`.
   */
  id?: string;
  /** Extra Node flags for the child, after those passed on from the parent. Default: `[]`. */
  execArgv?: readonly string[];
  /** Variables added to the child's environment (the parent's are inherited). Default: `{}`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Milliseconds a call may take, from the call (queueing and start-up
   * included; with retries, all attempts together). Then the call rejects with
   * `CallTimeoutError` and the child is killed. At most 2^31 − 1 (about 24.8
   * days, the longest a timer holds); `0` or `Infinity`: no limit. Default: `0`.
   */
  timeout?: number;
  /**
   * Milliseconds one attempt may take once it has a child: a new child's
   * start-up and the module's import count, time waiting in the queue (or for
   * `maxChildren`) doesn't. Then the attempt's child is killed and the call
   * rejects with `CallTimeoutError`; a timed-out attempt is not retried,
   * whatever `retries` says. The overall `timeout` still applies. At most
   * 2^31 − 1; `0` or `Infinity`: no limit. Default: `0`.
   */
  attemptTimeout?: number;
  /** The child's V8 heap limit in MB (`--max-old-space-size`), a whole number. Default: Node's own limit. */
  maxOldSpaceSize?: number;
  /**
   * Milliseconds a child may live on after its call ended (to flush, or to
   * run abort listeners) before it is killed. At most 2^31 − 1; `Infinity`:
   * never killed for it. Default: `1000`.
   */
  grace?: number;
  /** Classes whose instances may cross the boundary, besides the decorated class. Default: `[]`. */
  classes?: readonly Class[];
  /**
   * Send the instance's own state to the child as `this`. Set `false` for a
   * method that doesn't use `this` state (or whose instance holds something
   * that can't cross): the child then gets a bare instance. Default: `true`.
   */
  sendThis?: boolean;
  /**
   * Milliseconds an idle child is kept for the next call. `0` ends the child
   * after every call, which returns all its memory to the OS. At most
   * 2^31 − 1; `Infinity`: kept until `shutdown()` (or until another method
   * needs its place under `maxChildren`). Default: `0`.
   */
  keepAlive?: number;
  /**
   * Keep one fresh child started ahead of time (before it loads any user
   * module), so a call doesn't wait for Node to start. Costs one idle Node
   * process. Started after the first call, or by `warmUp()`. Default: `false`.
   */
  standby?: boolean;
  /** The most children of this method at once; further calls queue in order. Default: `os.availableParallelism()`. */
  concurrency?: number;
  /**
   * The most calls of this method waiting for a child (beyond the `concurrency`
   * running). One more rejects at once with `QueueFullError`. `0` never
   * queues: a call that finds no free child fails. Default: `Infinity`.
   */
  maxQueue?: number;
  /**
   * The largest message a child may send over its IPC channel, in bytes.
   * Node buffers a whole message before anyone sees it, so a child gone
   * wrong on hostile data could otherwise make the parent hold hundreds of
   * megabytes. A bigger message is dropped unread, the call rejects with
   * `ProtocolError` and the child is killed. Large strings and binary data,
   * and values JSON can't carry (Dates, Maps...) of 256 KiB or more once
   * V8-serialized, don't count: they travel beside the message. Default:
   * `268435456` (256 MiB).
   */
  maxMessageBytes?: number;
  /**
   * For an async generator method: how many yielded values the child may
   * have sent (or batched) that the parent's consumer hasn't taken yet. The
   * generator isn't resumed past that until the consumer takes more, so
   * memory stays bounded however fast the child produces. Default: `1024`.
   */
  streamAhead?: number;
  /**
   * For an async generator method: the same bound in bytes, as the child
   * estimates them (a string 2 bytes per character, binary data its length,
   * a large part sent beside the message its file size). The child resumes
   * the generator only while less than this is untaken, so the parent holds
   * at most this much plus one value. Default: `16777216` (16 MiB).
   */
  streamAheadBytes?: number;
  /** With `keepAlive`, retire a child after this many calls. Default: `Infinity`. */
  maxCallsPerChild?: number;
  /** With `keepAlive`, retire a child whose peak RSS went over this many MB. Default: `Infinity`. */
  maxChildRss?: number;
  /**
   * A memory budget per call, in MB (a whole number, at least 32): the
   * child's resident set, Buffers and native memory included, summed with the
   * processes it started. The parent watches it while the child serves the
   * call and, once it goes over, ends the child's process group; the call
   * rejects with `ChildOutOfMemoryError` (`kind: 'rss'`), never retried.
   * Linux only (read from /proc); elsewhere a warning, and no budget.
   * `Infinity`: none. Default: `Infinity`.
   */
  maxRss?: number;
  /**
   * How many times a call is retried on a fresh child when its child crashed
   * (`ChildExitedError`, but not out-of-memory). Never on an error the method
   * threw, nor on a timeout. Default: `0`.
   */
  retries?: number;
  /**
   * Open the child's inspector: `true` picks a free port, a number uses that
   * port. The child prints the URL on stderr. It doesn't wait for a debugger;
   * to stop until one attaches, pass `execArgv: ['--inspect-wait=127.0.0.1:0']`
   * instead. Default: `false`.
   */
  inspect?: boolean | number;
  /**
   * Where the calls run. Default: `undefined`, in local child processes of
   * this one. `bullmqRunner({ connection, queue })` from
   * `isolated-call/bullmq` sends them to a BullMQ queue, run by workers on
   * other machines (docs/scaling-out.md). The child options (`keepAlive`,
   * `execArgv`, `concurrency`, …) then are the workers'.
   */
  runner?: CallRunner;
  /** Called after every call with timings and the child's peak RSS. Default: none. */
  onCallEnd?: (info: CallInfo) => void;
}

/** Options of `configure()`: every {@link IsolatedOptions} as a default for all methods, plus process-wide settings. */
export interface ProcessOptions extends IsolatedOptions {
  /**
   * The most children alive at once across every isolated method, standby
   * children included; further calls wait. A whole number. Only `configure()`
   * takes it, and it stays set until a `configure()` names it again.
   * Default: `max(4, 2 × os.availableParallelism())`.
   */
  maxChildren?: number;
  /**
   * Your app's superjson set-up, so classes and custom transformers are
   * registered once: a `new SuperJSON()` instance, or the `SuperJSON` class
   * itself for the registrations made on its default instance
   * (`SuperJSON.registerClass(...)`). Its classes (`registerClass`, with
   * `identifier` and `allowProps`), symbols and custom transformers
   * (`registerCustom`) then cross in arguments, `this`, results and errors,
   * after the SDK's own registrations. The child must see the same set-up:
   * call `configure({ superjson })` at the top level of a module that the
   * module defining the isolated method imports. Stays set until a
   * `configure()` names it again; `null` removes it. Default: none.
   */
  superjson?: SuperJSONOption;
}
