import { isolate, shutdown, isIsolatedChild } from 'isolated-call';
export const echoWarm = isolate(
  async function echoWarm(value) {
    return value?.cpu ? process.cpuUsage() : value;
  },
  { keepAlive: 600000 },
);
if (!isIsolatedChild()) {
  const arg = { n: 1, s: 'hello' };
  const N = 2000;
  let c0 = await echoWarm({ cpu: true });
  for (let round = 0; round < 8; round++) {
    const p0 = process.cpuUsage();
    const t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await echoWarm(arg);
    const wall = Number(process.hrtime.bigint() - t) / N / 1000;
    const p = process.cpuUsage(p0);
    const c1 = await echoWarm({ cpu: true });
    const cu = (c1.user - c0.user) / N,
      cs = (c1.system - c0.system) / N;
    c0 = c1;
    console.log(
      `wall ${wall.toFixed(1)} | parent user ${(p.user / N).toFixed(1)} sys ${(p.system / N).toFixed(1)} | child user ${cu.toFixed(1)} sys ${cs.toFixed(1)}`,
    );
  }
  await shutdown();
}
