/**
 * The measuring child of `isolated-call cost` (dist/cost-child.mjs), forked
 * with --expose-gc, one per module: reads its memory, loads the module named
 * by its first argument, reads again after a full GC (what the module holds,
 * not the garbage its loading made), deletes the module from the module
 * cache, collects garbage, reads a last time, and sends the readings to the
 * parent over IPC (never stdout, which the module may write to).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadModule } from './load-module.js';
import { readMemory } from './memory-reading.js';
import { type CostReport, reportMessage } from './report.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** Full collections with a turn of the event loop between: finalizers and weak callbacks free more on the next. */
async function collectGarbage(): Promise<void> {
  gc?.();
  await sleep(0);
  gc?.();
  await sleep(20);
  gc?.();
}

async function measure(spec: string): Promise<CostReport> {
  if (!gc) return { ok: false, error: 'the measuring child runs without --expose-gc' };
  await collectGarbage();
  const before = readMemory();
  const started = performance.now();
  let module: Awaited<ReturnType<typeof loadModule>> | undefined;
  try {
    module = await loadModule(spec, process.cwd());
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
  const importMs = performance.now() - started;
  await collectGarbage();
  const loaded = readMemory();
  const format = module.format;
  module.release();
  module = undefined;
  await collectGarbage();
  return { ok: true, format, importMs, before, loaded, unloaded: readMemory() };
}

function describe(error: unknown): string {
  try {
    if (!(error instanceof Error)) return `threw a non-error: ${String(error)}`;
    // require()'s "Require stack:" names this child's own files, nothing the user can act on.
    const message = error.message.split('\nRequire stack:')[0] ?? '';
    return error.name && error.name !== 'Error' ? `${error.name}: ${message}` : message;
  } catch {
    return 'threw a value that cannot be printed';
  }
}

const spec = process.argv[2] ?? '';
void measure(spec).then((report) => {
  if (!process.send) {
    process.stderr.write('isolated-call cost: the measuring child needs an IPC channel (it is forked by the cost command)\n');
    process.exit(1);
  }
  process.send(reportMessage(report), () => process.exit(0));
});
