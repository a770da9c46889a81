// npx tsx examples/opentelemetry/main.ts
//
// Spans for isolated calls, from the `isolated-call:call` TracingChannel on
// node:diagnostics_channel. isolated-call doesn't depend on OpenTelemetry:
//
// - Without it installed (as in this repository), the spans are printed as
//   plain objects by a stand-in tracer (printing-tracer.ts).
// - With it, the subscriber takes your tracer as it is. In your app:
//     npm install @opentelemetry/api @opentelemetry/sdk-node   (or any SDK)
//   start the SDK as usual (it registers the global tracer provider), then
//     subscribeSpans(trace.getTracer('isolated-call'))
//   This example does so when @opentelemetry/api can be imported; the spans
//   then go wherever your registered SDK exports them (nowhere if none is).
import { shutdown } from 'isolated-call';
import { Hasher } from './hasher.js';
import { printingTracer } from './printing-tracer.js';
import { subscribeSpans, type TracerLike } from './span-subscriber.js';

async function otelTracer(): Promise<TracerLike | undefined> {
  try {
    const { trace } = await import('@opentelemetry/api' as string);
    return trace.getTracer('isolated-call-example') as TracerLike;
  } catch {
    return undefined; // not installed
  }
}

const tracer = (await otelTracer()) ?? printingTracer;
console.log(tracer === printingTracer ? 'OpenTelemetry not installed: printing spans' : 'spans go to your OpenTelemetry SDK');
const unsubscribe = subscribeSpans(tracer);

const hasher = new Hasher();
console.log('digest:', (await hasher.digest('correct horse', 100_000)).slice(0, 16));
console.log('digest again (warm child):', (await hasher.digest('battery staple', 100_000)).slice(0, 16));
try {
  await hasher.digest('x', 0);
} catch (error) {
  console.log('rejected:', (error as Error).message);
}

unsubscribe();
await shutdown();
