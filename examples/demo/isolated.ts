// (c) The same work through @Isolated(): typescript loads in a child, which exits after the call.
import { configure, isModuleLoaded, measureRss } from 'isolated-call';
import { Transpiler } from './transpiler.js';
import { collect, type Row } from './work.js';

let childPeak = 0;
configure({ onCallEnd: (info) => (childPeak = info.peakRss) });

collect();
const start = measureRss().rss;
await new Transpiler().run();
const afterWork = measureRss().rss;

collect();
const row: Row = { start, afterWork, afterCleanup: measureRss().rss, childPeak, loadedAfterCleanup: isModuleLoaded('typescript') };
console.log(JSON.stringify(row));
