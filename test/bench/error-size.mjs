// What an oversized thrown error costs the parent: its peak RSS and the
// call's time, for an Error with a 50 MB message and an AggregateError of
// 100,000 errors. Each case runs in a fresh parent process.
//
//   node test/bench/error-size.mjs             this build (dist/)
//   node test/bench/error-size.mjs <folder>    another build, e.g. a checkout of an older commit with its dist/
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const cases = { 'message of 50 MB': ['hugeMessage', 50], 'AggregateError of 100,000': ['manyErrors', 100_000] };

if (process.argv[2] === '--case') {
  const [, , , name, arg] = process.argv;
  const fixture = await import('./fixtures/error-size.mjs');
  const sdk = process.env.IC_SDK ? `${process.env.IC_SDK}/dist/index.js` : 'isolated-call';
  const { shutdown } = await import(sdk);
  const t0 = performance.now();
  let error;
  try {
    await fixture[name](Number(arg));
  } catch (thrown) {
    error = thrown;
  }
  const ms = performance.now() - t0;
  await shutdown();
  console.log(
    JSON.stringify({
      ms: Math.round(ms),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      name: error?.name,
      messageLength: error?.message?.length,
      errors: error?.errors?.length,
    }),
  );
} else {
  const env = { ...process.env, ...(process.argv[2] ? { IC_SDK: resolve(process.argv[2]) } : {}) };
  const self = fileURLToPath(import.meta.url);
  for (const [label, [name, arg]] of Object.entries(cases)) {
    const out = execFileSync(process.execPath, [self, '--case', name, String(arg)], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
    console.log(`${label}: ${out.trim()}`);
  }
}
