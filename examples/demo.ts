// npm run demo — the parent's memory before and after isolated calls.
import { isModuleLoaded, measureRss } from 'isolated-call';
import { Transpiler } from './heavy-dependency/transpiler.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const transpiler = new Transpiler();
const start = measureRss();
const { result, delta } = await measureRss(async () => {
  let out = '';
  for (let i = 0; i < 3; i++) out = await transpiler.transpile('let x: number = 1');
  return out;
});
console.log(`output: ${JSON.stringify(result)}`);
console.log(`parent RSS at start: ${mb(start.rss)}; grew by ${mb(delta)} over 3 isolated calls`);
console.log(`typescript loaded in the parent: ${isModuleLoaded('typescript')}`);
