// (a) Load typescript in this process, use it, drop every reference, collect garbage.
import { createRequire } from 'node:module';
import { isModuleLoaded, measureRss } from 'isolated-call';
import { collect, work, type Row } from './work.js';

collect();
const start = measureRss().rss;
let ts: typeof import('typescript') | undefined = createRequire(import.meta.url)('typescript');
work(ts!);
const afterWork = measureRss().rss;

ts = undefined;
collect();
const row: Row = { start, afterWork, afterCleanup: measureRss().rss, loadedAfterCleanup: isModuleLoaded('typescript') };
console.log(JSON.stringify(row));
