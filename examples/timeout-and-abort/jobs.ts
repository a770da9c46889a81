import { setTimeout as sleep } from 'node:timers/promises';
import { Isolated } from 'isolated-call';

export class Jobs {
  // The whole call, child start-up included, must finish within 2 s.
  @Isolated({ timeout: 2_000 })
  async sleep(ms: number): Promise<string> {
    await sleep(ms);
    return `slept ${ms} ms`;
  }

  // The child gets a live AbortSignal that fires when the caller's does.
  @Isolated({ grace: 500 })
  async poll(signal: AbortSignal): Promise<number> {
    let rounds = 0;
    while (!signal.aborted) {
      rounds++;
      await sleep(20);
    }
    return rounds;
  }
}
