// npx tsx examples/keep-alive/main.ts
//
// A keep-alive worker: children load typescript once and serve many calls.
import { configure, shutdown, stats, warmUp } from 'isolated-call';
import { Tokenizer } from './tokenizer.js';

const pids = new Set<number>();
configure({ onCallEnd: ({ pid }) => pid !== undefined && pids.add(pid) });

warmUp(Tokenizer.prototype.count); // start a child now rather than at the first call

const tokenizer = new Tokenizer();
const sources = Array.from({ length: 50 }, (_, i) => `const x${i} = ${i} + ${i};`);
const t0 = performance.now();
const counts = await Promise.all(sources.map((s) => tokenizer.count(s)));
console.log(`${counts.length} calls, ${counts.reduce((a, b) => a + b)} tokens, in ${(performance.now() - t0).toFixed(0)} ms`);
const { calls, alive } = stats()[0]!;
console.log(`served by ${pids.size} child process(es); stats: ${calls} calls, ${alive} children alive`);
// Idle children never keep this process alive, so this is optional: it lets
// them leave now, rather than be killed when this process exits.
await shutdown();
