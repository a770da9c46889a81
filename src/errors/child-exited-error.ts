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
 * The child ran out of V8 heap. Raise `maxOldSpaceSize`, or process less per
 * call. Code `ERR_ISOLATED_CHILD_OOM`.
 */
export class ChildOutOfMemoryError extends ChildExitedError {
  declare readonly code: 'ERR_ISOLATED_CHILD_OOM';

  /** The child's V8 fatal-error report is kept in `stderr`; the message quotes its first lines. */
  constructor(exit: ChildExit, heapLimitMb: number | undefined, target?: string) {
    const limit = heapLimitMb === undefined ? "Node's default heap limit" : `maxOldSpaceSize ${heapLimitMb} MB`;
    super(
      exit,
      target,
      `${target === undefined ? 'The isolated child' : `${target}: its child`} (pid ${exit.pid}) ran out of memory (${limit}) and ` +
        `was ended by V8. ` +
        'Raise the maxOldSpaceSize option or make the call work on less data at once.' +
        (exit.stderr ? ` V8 reported:\n${fatalReport(exit.stderr)}` : ''),
      'ERR_ISOLATED_CHILD_OOM',
    );
  }
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
