import { availableParallelism } from 'node:os';
import { InvalidOptionError } from './errors/invalid-option-error.js';

/** A class the codec can rebuild on the other side. */
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
   * `CallTimeoutError` and the child is killed. Default: `0`, no limit.
   */
  timeout?: number;
  /** The child's V8 heap limit in MB (`--max-old-space-size`). Default: Node's own limit. */
  maxOldSpaceSize?: number;
  /**
   * Milliseconds a child may live on after its call ended (to flush, or to
   * run abort listeners) before it is killed. Default: `1000`.
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
   * after every call, which returns all its memory to the OS. Default: `0`.
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
  /** With `keepAlive`, retire a child after this many calls. Default: `Infinity`. */
  maxCallsPerChild?: number;
  /** With `keepAlive`, retire a child whose peak RSS went over this many MB. Default: `Infinity`. */
  maxChildRss?: number;
  /**
   * How many times a call is retried on a fresh child when its child crashed
   * (`ChildExitedError`, but not out-of-memory). Never on an error the method
   * threw. Default: `0`.
   */
  retries?: number;
  /**
   * Open the child's inspector: `true` picks a free port, a number uses that
   * port. The child prints the URL on stderr. It doesn't wait for a debugger;
   * to stop until one attaches, pass `execArgv: ['--inspect-wait=127.0.0.1:0']`
   * instead. Default: `false`.
   */
  inspect?: boolean | number;
  /** Called after every call with timings and the child's peak RSS. Default: none. */
  onCallEnd?: (info: CallInfo) => void;
}

/** Every option with its value decided. Internal. */
export interface ResolvedOptions {
  readonly module: string | undefined;
  readonly id: string | undefined;
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeout: number;
  readonly maxOldSpaceSize: number | undefined;
  readonly grace: number;
  readonly classes: readonly Class[];
  readonly sendThis: boolean;
  readonly keepAlive: number;
  readonly standby: boolean;
  readonly concurrency: number;
  readonly maxCallsPerChild: number;
  readonly maxChildRss: number;
  readonly retries: number;
  readonly inspect: boolean | number;
  readonly onCallEnd: ((info: CallInfo) => void) | undefined;
}

export const kDefaultOptions: ResolvedOptions = Object.freeze({
  module: undefined,
  id: undefined,
  execArgv: Object.freeze([]),
  env: Object.freeze({}),
  timeout: 0,
  maxOldSpaceSize: undefined,
  grace: 1000,
  classes: Object.freeze([]),
  sendThis: true,
  keepAlive: 0,
  standby: false,
  concurrency: availableParallelism(),
  maxCallsPerChild: Infinity,
  maxChildRss: Infinity,
  retries: 0,
  inspect: false,
  onCallEnd: undefined,
});

/** Merges defaults, `configure()`'s options and a decorator's, validating each. */
export function resolveOptions(...layers: (IsolatedOptions | undefined)[]): ResolvedOptions {
  // A null-prototype copy: a polluted Object.prototype can't inject options.
  const merged: Record<string, unknown> = Object.assign(Object.create(null), kDefaultOptions);
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (typeof layer !== 'object' || layer === null) throw new InvalidOptionError('options', 'must be an object');
    for (const key of Object.keys(layer)) {
      if (!(key in kDefaultOptions)) throw new InvalidOptionError(key, 'is not an option of isolated-call');
      const value = (layer as Record<string, unknown>)[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  const o = merged as unknown as ResolvedOptions;
  const moduleOption = merged.module as string | URL | undefined;
  return Object.freeze({
    module: moduleOption === undefined ? undefined : checkModule(moduleOption),
    id: optional(o.id, 'id', checkString),
    execArgv: Object.freeze(checkStringArray(o.execArgv, 'execArgv')),
    env: Object.freeze(checkEnv(o.env)),
    timeout: checkNumber(o.timeout, 'timeout', 0),
    maxOldSpaceSize: optional(o.maxOldSpaceSize, 'maxOldSpaceSize', (v, n) => checkNumber(v, n, 1)),
    grace: checkNumber(o.grace, 'grace', 0),
    classes: Object.freeze(checkClasses(o.classes)),
    sendThis: checkBoolean(o.sendThis, 'sendThis'),
    keepAlive: checkNumber(o.keepAlive, 'keepAlive', 0),
    standby: checkBoolean(o.standby, 'standby'),
    concurrency: checkInteger(o.concurrency, 'concurrency', 1),
    maxCallsPerChild: checkInteger(o.maxCallsPerChild, 'maxCallsPerChild', 1),
    maxChildRss: checkNumber(o.maxChildRss, 'maxChildRss', 1),
    retries: checkInteger(o.retries, 'retries', 0),
    inspect: checkInspect(o.inspect),
    onCallEnd: optional(o.onCallEnd, 'onCallEnd', checkFunction),
  });
}

function optional<T>(value: T | undefined, name: string, check: (v: T, name: string) => T): T | undefined {
  return value === undefined ? undefined : check(value, name);
}

function checkNumber(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw new InvalidOptionError(name, `expected a number >= ${min}, got ${describe(value)}`);
  }
  return value;
}

function checkInteger(value: unknown, name: string, min: number): number {
  const n = checkNumber(value, name, min);
  if (n !== Infinity && !Number.isInteger(n)) throw new InvalidOptionError(name, `expected a whole number, got ${n}`);
  return n;
}

function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidOptionError(name, `expected true or false, got ${describe(value)}`);
  return value;
}

function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidOptionError(name, `expected a non-empty string, got ${describe(value)}`);
  return value;
}

function checkFunction<T>(value: T, name: string): T {
  if (typeof value !== 'function') throw new InvalidOptionError(name, `expected a function, got ${describe(value)}`);
  return value;
}

function checkStringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new InvalidOptionError(name, `expected an array of strings, got ${describe(value)}`);
  }
  return [...value];
}

function checkEnv(value: unknown): Record<string, string | undefined> {
  if (typeof value !== 'object' || value === null) throw new InvalidOptionError('env', `expected an object, got ${describe(value)}`);
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && typeof v !== 'string') throw new InvalidOptionError('env', `env.${k} must be a string, got ${describe(v)}`);
    env[k] = v;
  }
  return env;
}

function checkClasses(value: unknown): Class[] {
  if (!Array.isArray(value)) throw new InvalidOptionError('classes', `expected an array of classes, got ${describe(value)}`);
  value.forEach((c, i) => {
    if (typeof c !== 'function') throw new InvalidOptionError('classes', `classes[${i}] is ${describe(c)}, not a class`);
  });
  return [...value] as Class[];
}

function checkInspect(value: unknown): boolean | number {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 65536) return value;
  throw new InvalidOptionError('inspect', `expected true, false or a port number, got ${describe(value)}`);
}

function checkModule(value: string | URL): string {
  const text = value instanceof URL ? value.href : value;
  if (typeof text !== 'string' || text === '') throw new InvalidOptionError('module', `expected a path or file URL, got ${describe(value)}`);
  if (!text.startsWith('file:') && !text.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(text)) {
    throw new InvalidOptionError('module', `expected an absolute path or a file: URL, got "${text}"`);
  }
  return text;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a value of type ${typeof value}`;
}
