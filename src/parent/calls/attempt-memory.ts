import { ChildOutOfMemoryError } from '../../errors/child-exited-error.js';
import { canReadRss } from '../../shared/read-rss.js';
import type { CallJob } from './call-job.js';
import type { PoolChild } from '../pool/pool-child.js';
import type { PendingCall } from './pending-call.js';
import type { ChildReply } from './pending-replies.js';
import { RssWatch } from './rss-watch.js';

/** The budget of one call in MB: the method's `maxRss`, lowered (never raised) by its job's (a fleet job, bullmq/worker.ts). */
export function rssBudget(maxRss: number, job: CallJob): number {
  return Math.min(maxRss, job.maxRss ?? Number.POSITIVE_INFINITY);
}

/** Where an attempt's end goes: the child's reply, or why there is none. */
export interface AttemptEnds {
  readonly reply: (reply: ChildReply) => void;
  readonly failure: (error: Error) => void;
}

const MB = 1024 * 1024;
let warnedUnsupported = false;

/**
 * Holds an attempt to `limitMb` of resident memory (`maxRss`): watches its
 * child while it serves the call (rss-watch.ts), ends the child's process
 * group when it goes over, and then fails the attempt, whatever the child
 * still sent, with a `ChildOutOfMemoryError` of kind `'rss'` once the child
 * is gone. A heap OOM of a watched child gets the peak seen. Returns the
 * outcomes to give the child's replies to; `outcomes` itself when unwatched.
 */
export function guardAttemptMemory(call: PendingCall, child: PoolChild, limitMb: number, outcomes: AttemptEnds): AttemptEnds {
  if (limitMb === Number.POSITIVE_INFINITY || child.pid === undefined) return outcomes;
  if (!canReadRss()) {
    warnUnsupported(limitMb);
    return outcomes;
  }
  const id = call.messageId;
  const current = () => !call.settled && call.child === child && call.messageId === id;
  let overMb: number | undefined;
  const over = (peakMb: number) => {
    overMb = peakMb;
    child.kill(`its resident set reached ${peakMb} MB, over maxRss ${limitMb} MB`, 'max-rss');
  };
  const watch = new RssWatch(child.pid, limitMb, { current, over });
  const failOver = () => {
    const peakMb = overMb!;
    // Its reply (or its end) took the child's hold on the parent's event loop, but the call still waits for its exit.
    child.setReferenced(true);
    void child.exited().then(() => {
      // A timeout or abort that ended the call meanwhile has settled it.
      if (!current() || child.exit === undefined) return;
      outcomes.failure(new ChildOutOfMemoryError(child.exit, undefined, call.job.label, { kind: 'rss', limitMb, peakMb }));
    });
  };
  return {
    reply: (reply) => {
      watch.stop();
      // The child's own high-water mark for the call (the call message asked for it): a peak between two samples counts too.
      const childPeakMb = Math.round((reply.stats.peakRss / MB) * 10) / 10;
      if (overMb === undefined && childPeakMb > limitMb) over(Math.max(childPeakMb, watch.peakMb));
      if (overMb !== undefined) failOver();
      else outcomes.reply(reply);
    },
    failure: (error) => {
      watch.stop();
      if (overMb !== undefined) failOver();
      else if (error instanceof ChildOutOfMemoryError && error.kind === 'heap' && child.exit !== undefined)
        outcomes.failure(
          new ChildOutOfMemoryError(child.exit, error.limitMb, call.job.label, {
            kind: 'heap',
            limitMb: error.limitMb,
            peakMb: watch.peakMb,
          }),
        );
      else outcomes.failure(error);
    },
  };
}

/** Once per process: the budget can't be watched here (no /proc), and calls run without it. */
function warnUnsupported(limitMb: number): void {
  if (warnedUnsupported) return;
  warnedUnsupported = true;
  process.emitWarning(
    `isolated-call: maxRss (${limitMb} MB) is not enforced here: the parent reads a child's resident set from /proc, ` +
      `which ${process.platform === 'linux' ? "shows another PID namespace than this process's" : `${process.platform} doesn't have`}. ` +
      'Calls run without the budget; maxOldSpaceSize still bounds the V8 heap.',
    { code: 'ISOLATED_CALL_MAX_RSS_UNSUPPORTED' },
  );
}
