import { IsolatedCallError, type IsolatedCallErrorCode } from './isolated-call-error.js';

/**
 * A signal name, as Node reports it (`NodeJS.Signals`). Spelled out here so
 * the published types don't need Node's: TypeScript 6+ loads no `@types/*`
 * package unless a project lists it.
 */
export type ChildSignal =
  | 'SIGABRT'
  | 'SIGALRM'
  | 'SIGBUS'
  | 'SIGCHLD'
  | 'SIGCONT'
  | 'SIGFPE'
  | 'SIGHUP'
  | 'SIGILL'
  | 'SIGINT'
  | 'SIGIO'
  | 'SIGIOT'
  | 'SIGKILL'
  | 'SIGPIPE'
  | 'SIGPOLL'
  | 'SIGPROF'
  | 'SIGPWR'
  | 'SIGQUIT'
  | 'SIGSEGV'
  | 'SIGSTKFLT'
  | 'SIGSTOP'
  | 'SIGSYS'
  | 'SIGTERM'
  | 'SIGTRAP'
  | 'SIGTSTP'
  | 'SIGTTIN'
  | 'SIGTTOU'
  | 'SIGUNUSED'
  | 'SIGURG'
  | 'SIGUSR1'
  | 'SIGUSR2'
  | 'SIGVTALRM'
  | 'SIGWINCH'
  | 'SIGXCPU'
  | 'SIGXFSZ'
  | 'SIGBREAK'
  | 'SIGLOST'
  | 'SIGINFO';

/** How a child process ended, as the parent saw it. */
export interface ChildExit {
  /** PID of the child that ended. */
  pid: number | undefined;
  /** Its exit code, or null when a signal ended it. */
  exitCode: number | null;
  /** The signal that ended it (`SIGKILL`, ...), or null when it exited. */
  signal: ChildSignal | null;
  /** The last ~8 KB the child wrote to stderr. */
  stderr: string;
}

/**
 * The child ended before it replied: `process.exit()` in the method, an
 * uncaught exception in a timer, a native crash, or a kill from outside.
 * Code `ERR_ISOLATED_CHILD_EXITED`.
 */
export class ChildExitedError extends IsolatedCallError {
  declare readonly code: 'ERR_ISOLATED_CHILD_EXITED' | 'ERR_ISOLATED_CHILD_OOM';

  /** The child's exit code, or null when a signal ended it. */
  readonly exitCode: number | null;
  /** The signal that ended the child (`SIGKILL`, `SIGABRT`, ...), or null when it exited. */
  readonly signal: ChildSignal | null;
  /** The last ~8 KB of the child's stderr: usually the reason. */
  readonly stderr: string;

  /**
   * @param target The call whose child it was (`Class.method`), named in the message.
   */
  constructor(exit: ChildExit, target?: string, message?: string, code: IsolatedCallErrorCode = 'ERR_ISOLATED_CHILD_EXITED') {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
    super(
      code,
      message ??
        `${target === undefined ? 'The isolated child' : `${target}: its child`} (pid ${exit.pid}) ${how} before it replied. ` +
          (exit.stderr ? `Its stderr ended with:\n${lastLines(exit.stderr, 12)}` : 'It wrote nothing to stderr.'),
      { pid: exit.pid },
    );
    this.exitCode = exit.exitCode;
    this.signal = exit.signal;
    this.stderr = exit.stderr;
  }
}

/**
 * What ran out: `'rss'`, the child's resident set went over `maxRss` and the
 * parent ended it; `'heap'`, V8's heap limit (`maxOldSpaceSize`, or Node's
 * default) and V8 ended it; `'system'`, the kernel's OOM killer, where it can
 * be told apart from another SIGKILL (this version can't: see docs/errors.md).
 */
export type OutOfMemoryKind = 'rss' | 'heap' | 'system';

/** What the parent knew of a child's memory when it ran out: the limit it went over and the most it was seen to hold. */
export interface OutOfMemoryReading {
  readonly kind: OutOfMemoryKind;
  /** The limit in MB: `maxRss` for `'rss'`, `maxOldSpaceSize` for `'heap'` (undefined under Node's default limit). */
  readonly limitMb: number | undefined;
  /** The highest resident set the parent saw during the call, in MB; undefined when it wasn't watching (no `maxRss`). */
  readonly peakMb: number | undefined;
}

/**
 * The child ran out of memory: over `maxRss` (`kind: 'rss'`), or out of V8
 * heap (`kind: 'heap'`). Raise the limit, or process less per call. Never
 * retried. Code `ERR_ISOLATED_CHILD_OOM`.
 */
export class ChildOutOfMemoryError extends ChildExitedError {
  declare readonly code: 'ERR_ISOLATED_CHILD_OOM';
  /** What ran out: `'rss'`, `'heap'` or `'system'`. */
  readonly kind: OutOfMemoryKind;
  /** The limit it went over, in MB (see {@link OutOfMemoryReading}). */
  readonly limitMb: number | undefined;
  /** The highest resident set the parent saw, in MB; undefined when it wasn't watching. */
  readonly peakMb: number | undefined;

  /**
   * The child's V8 fatal-error report is kept in `stderr`; the message quotes its first lines.
   * @param reading Out of heap (V8's report on stderr) when absent, with `heapLimitMb` as its limit.
   */
  constructor(exit: ChildExit, heapLimitMb: number | undefined, target?: string, reading?: OutOfMemoryReading) {
    const who = `${target === undefined ? 'The isolated child' : `${target}: its child`} (pid ${exit.pid})`;
    const kind = reading?.kind ?? 'heap';
    const limitMb = reading ? reading.limitMb : heapLimitMb;
    super(exit, target, outOfMemoryMessage(who, kind, limitMb, reading?.peakMb, exit.stderr), 'ERR_ISOLATED_CHILD_OOM');
    this.kind = kind;
    this.limitMb = limitMb;
    this.peakMb = reading?.peakMb;
  }
}

function outOfMemoryMessage(who: string, kind: OutOfMemoryKind, limitMb: number | undefined, peakMb: number | undefined, stderr: string) {
  if (kind === 'rss') {
    return (
      `${who} went over its memory budget (maxRss ${limitMb} MB): its resident set reached ${peakMb} MB, ` +
      'so the parent ended its process group. Raise the maxRss option or make the call work on less data at once.'
    );
  }
  if (kind === 'system') {
    return `${who} was killed by the system's out-of-memory killer${limitMb === undefined ? '' : ` (limit ${limitMb} MB)`}.`;
  }
  const limit = limitMb === undefined ? "Node's default heap limit" : `maxOldSpaceSize ${limitMb} MB`;
  return (
    `${who} ran out of memory (${limit}) and was ended by V8. ` +
    'Raise the maxOldSpaceSize option or make the call work on less data at once.' +
    (stderr ? ` V8 reported:\n${fatalReport(stderr)}` : '')
  );
}

/** V8's FATAL ERROR line, then its last few GCs: the native stack below them says little to a user. */
function fatalReport(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim());
  const fatal = lines.filter((line) => line.startsWith('FATAL ERROR'));
  const gcs = lines.filter((line) => /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /.test(line)).slice(-3);
  const report = [...fatal, ...gcs];
  return report.length > 0 ? report.join('\n') : lastLines(stderr, 8);
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
