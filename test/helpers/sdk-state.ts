import { availableParallelism } from 'node:os';
import { configure, shutdown, stats, type MethodStats } from 'isolated-call';

/** The SDK's own default (src/options/process-defaults.ts); `configure({})` leaves maxChildren as it was. */
const defaultMaxChildren = Math.max(4, availableParallelism() * 2);

/** For `afterEach`: ends every child and puts `configure()` back to its defaults, so no test sees another's settings. */
export async function shutdownAndReset(): Promise<void> {
  await shutdown();
  configure({ maxChildren: defaultMaxChildren });
}

/** The `stats()` row of one method (`'Class.method'`, or a function's name), if it was ever called. */
export function statsOf(target: string): MethodStats | undefined {
  return stats().find((s) => s.target === target);
}
