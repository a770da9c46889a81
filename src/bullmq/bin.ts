#!/usr/bin/env node
/**
 * `isolated-call-worker --redis redis://host:6379 --queue NAME --root DIR`:
 * a BullMQ worker for isolated-call jobs (worker.ts), closed cleanly on
 * SIGTERM or SIGINT (running jobs finish; a second signal kills their children).
 */
import { parseArgs } from 'node:util';
import { startWorker } from './worker.js';

const usage = `Usage: isolated-call-worker --redis redis://HOST:PORT --queue NAME [--root DIR] [--concurrency N]
  [--keep-alive MS] [--max-rss MB] [--max-payload-bytes N] [--lock-duration MS] [--stalled-interval MS] [--allow-links-to DIR]...

  --root defaults to the current folder: where this machine holds the app's code.
  --max-rss is each job's memory budget (maxRss, at least 32); a job's caller may lower it, never raise it.
  --allow-links-to names a folder outside the root where symlinks under the root may lead (repeat for more).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      redis: { type: 'string' },
      queue: { type: 'string' },
      root: { type: 'string', default: process.cwd() },
      concurrency: { type: 'string' },
      'keep-alive': { type: 'string' },
      'max-rss': { type: 'string' },
      'max-payload-bytes': { type: 'string' },
      'lock-duration': { type: 'string' },
      'stalled-interval': { type: 'string' },
      'allow-links-to': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.redis || !values.queue) {
    console.error(usage);
    process.exit(values.help ? 0 : 2);
  }
  const int = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`isolated-call-worker: --${name} must be a whole number >= 1, got ${JSON.stringify(text)}\n${usage}`);
      process.exit(2);
    }
    return n;
  };
  const lockDuration = int('lock-duration', values['lock-duration']);
  const stalledInterval = int('stalled-interval', values['stalled-interval']);
  const keepAlive = int('keep-alive', values['keep-alive']);
  const concurrency = int('concurrency', values.concurrency);
  const maxRss = int('max-rss', values['max-rss']);
  const maxPayloadBytes = int('max-payload-bytes', values['max-payload-bytes']);
  const worker = await startWorker({
    connection: values.redis,
    queue: values.queue,
    root: values.root,
    ...(values['allow-links-to'] ? { allowLinksTo: values['allow-links-to'] } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(maxPayloadBytes ? { maxPayloadBytes } : {}),
    isolated: { ...(keepAlive ? { keepAlive } : {}), ...(maxRss ? { maxRss } : {}) },
    bullmq: { ...(lockDuration ? { lockDuration } : {}), ...(stalledInterval ? { stalledInterval } : {}) },
  });
  let closing = 0;
  const close = () => {
    closing++;
    void worker.close(closing > 1).then(() => process.exit(0));
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
  console.log(`isolated-call-worker: pid ${process.pid}, queue "${values.queue}", root ${values.root}, ready`);
}

main().catch((error: unknown) => {
  console.error(`isolated-call-worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
