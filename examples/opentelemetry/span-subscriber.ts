// A subscriber that turns isolated-call's TracingChannel events into spans.
// It is written against the shape of OpenTelemetry's Tracer and Span (the few
// methods it uses), so it takes `trace.getTracer(...)` from @opentelemetry/api
// as it is, and the example runs without OpenTelemetry installed too.
import diagnosticsChannel from 'node:diagnostics_channel';
import { type CallTraceContext, diagnosticsChannels } from 'isolated-call';

/** The part of OpenTelemetry's `Span` used here. */
export interface SpanLike {
  setAttributes(attributes: Record<string, string | number | boolean>): unknown;
  recordException(exception: Error | string): void;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The part of OpenTelemetry's `Tracer` used here. */
export interface TracerLike {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean> }): SpanLike;
}

/** OpenTelemetry's `SpanStatusCode.ERROR`. */
const STATUS_ERROR = 2;

/**
 * Starts a span at each call's `start` event and ends it at `asyncEnd`, with
 * the child's pid, the timings and the peak RSS as attributes. `start` comes
 * in the caller's own async context, so the span is a child of whatever span
 * is active there. Returns the function that unsubscribes.
 */
export function subscribeSpans(tracer: TracerLike): () => void {
  // The context object is the same through all of a call's events: the key to its span.
  const spans = new WeakMap<CallTraceContext, SpanLike>();
  const handlers = {
    start(context: CallTraceContext) {
      spans.set(context, tracer.startSpan(`isolated-call ${context.target}`, { attributes: { 'isolated_call.target': context.target } }));
    },
    end() {},
    asyncStart() {},
    error(context: CallTraceContext) {
      const error = context.error;
      spans.get(context)?.recordException(error instanceof Error ? error : String(error));
    },
    asyncEnd(context: CallTraceContext) {
      const span = spans.get(context);
      if (!span) return;
      spans.delete(context);
      span.setAttributes({
        'isolated_call.pid': context.pid ?? 0,
        'isolated_call.queue_ms': context.queueMs,
        'isolated_call.startup_ms': context.startupMs,
        'isolated_call.load_ms': context.loadMs,
        'isolated_call.run_ms': context.runMs,
        'isolated_call.total_ms': context.totalMs,
        'isolated_call.peak_rss': context.peakRss,
        'isolated_call.attempts': context.attempts,
      });
      if ('error' in context) span.setStatus({ code: STATUS_ERROR, message: String((context.error as Error)?.message ?? context.error) });
      span.end();
    },
  };
  const channel = diagnosticsChannel.tracingChannel<unknown, CallTraceContext>(diagnosticsChannels.call);
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}
