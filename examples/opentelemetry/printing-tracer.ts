// Stands in for OpenTelemetry when it isn't installed: each span, once ended,
// is printed as a plain object (what an exporter would receive).
import type { SpanLike, TracerLike } from './span-subscriber.js';

export const printingTracer: TracerLike = {
  startSpan(name, options) {
    const startedAt = performance.now();
    const span = {
      name,
      attributes: { ...options?.attributes } as Record<string, string | number | boolean>,
      status: 'ok' as string,
      exceptions: [] as string[],
    };
    const handle: SpanLike = {
      setAttributes: (attributes) => Object.assign(span.attributes, attributes),
      recordException: (exception) =>
        span.exceptions.push(exception instanceof Error ? `${exception.name}: ${exception.message}` : exception),
      setStatus: ({ message }) => {
        span.status = `error: ${message}`;
      },
      end: () => {
        for (const [key, value] of Object.entries(span.attributes)) {
          if (typeof value === 'number') span.attributes[key] = Math.round(value * 10) / 10; // readable, not precise
        }
        console.log('span', { ...span, durationMs: Math.round(performance.now() - startedAt) });
      },
    };
    return handle;
  },
};
