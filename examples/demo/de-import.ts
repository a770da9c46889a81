// (b) The article's "de-import": load typescript, use it, delete it from
// require.cache, drop every reference, collect garbage.
import { createRequire } from 'node:module';
import { isModuleLoaded, measureRss } from 'isolated-call';
import { collect, work, type Row } from './work.js';

const require = createRequire(import.meta.url);
collect();
const start = measureRss().rss;
let ts: typeof import('typescript') | undefined = require('typescript');
work(ts!);
const afterWork = measureRss().rss;

ts = undefined;
for (const file of Object.keys(require.cache)) if (file.includes('/node_modules/typescript/')) delete require.cache[file];
collect();
const row: Row = { start, afterWork, afterCleanup: measureRss().rss, loadedAfterCleanup: isModuleLoaded('typescript') };
console.log(JSON.stringify(row));
