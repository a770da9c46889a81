import { isolate, shutdown, isIsolatedChild, configure } from 'isolated-call';
export const echo = isolate(
  async function echo(value) {
    return value;
  },
  { execArgv: process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/warm/fprof', '--cpu-prof-interval=25'] : [] },
);
if (!isIsolatedChild()) {
  let last;
  configure({ onCallEnd: (i) => (last = i) });
  for (let i = 0; i < 8; i++) {
    const t = performance.now();
    await echo({ n: 1 });
    console.log((performance.now() - t).toFixed(1), 'ms; startup', last.startupMs.toFixed(1), 'load', last.loadMs.toFixed(1));
  }
  await shutdown();
}
