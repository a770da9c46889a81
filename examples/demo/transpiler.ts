import { createRequire } from 'node:module';
import { Isolated } from 'isolated-call';
import { work } from './work.js';

export class Transpiler {
  @Isolated({ timeout: 60_000 })
  async run(): Promise<number> {
    const ts: typeof import('typescript') = createRequire(import.meta.url)('typescript'); // in the child only
    return work(ts);
  }
}
