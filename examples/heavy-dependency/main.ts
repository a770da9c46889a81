// npx tsx examples/heavy-dependency/main.ts
//
// typescript (9 MB of JavaScript, ~90 MB of RSS once loaded) runs in a child
// process; this process never loads it.
import { isModuleLoaded, measureRss } from 'isolated-call';
import { Transpiler } from './transpiler.js';

const transpiler = new Transpiler('es5');
const { result, delta } = await measureRss(() => transpiler.transpile('const add = (a: number, b: number) => a + b;'));

console.log(result.trim());
console.log(`typescript loaded here: ${isModuleLoaded('typescript')}`);
console.log(`RSS change here: ${(delta / 1024 / 1024).toFixed(1)} MB`);
