import type { MethodMeta } from '../../targets/method-meta.js';
import { invoke } from './invoke.js';
import { StreamSink } from './stream-sink.js';

/**
 * Stops the child's generator when the consumer drops an unfinished stream
 * without `return()` (a `for await` never broken out of, a generator never
 * read to the end): nothing else would tell the child to stop waiting.
 */
const abandoned = new FinalizationRegistry<StreamSink>((sink) => sink.abandon());

/**
 * A call of an isolated async generator method: an AsyncGenerator whose
 * values the child yields. Like a native one it starts at the first
 * `next()`, so a generator never read starts no child; `break` or `return()`
 * ends the child's generator (its `finally` runs) before it resolves.
 */
export function invokeStream(meta: MethodMeta, self: unknown, args: unknown[]): AsyncGenerator<unknown, unknown, unknown> {
  const sink = new StreamSink();
  const stream = consume(sink, () => {
    invoke(meta, self, args, sink).then(
      (value) => sink.end({ value }),
      (error: unknown) => sink.end({ error }),
    );
  });
  abandoned.register(stream, sink);
  return stream;
}

/** A native async generator around the sink: it gives `for await`, queued `next()` calls and `return()` their usual meaning. */
async function* consume(sink: StreamSink, start: () => void): AsyncGenerator<unknown, unknown, unknown> {
  start();
  let finished = false;
  try {
    for (;;) {
      let step: IteratorResult<unknown>;
      try {
        step = await sink.next();
      } catch (error) {
        finished = true; // the stream's own error: the child's generator is over already
        throw error;
      }
      if (step.done) {
        finished = true;
        return step.value;
      }
      yield step.value;
    }
  } finally {
    // Left at a yield (break, return(), throw() by the consumer): the child's generator ends too.
    if (!finished) await sink.return();
  }
}
