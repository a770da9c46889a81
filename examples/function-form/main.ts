// npx tsx examples/function-form/main.ts
//
// isolate(fn) is @Isolated() for code without classes.
import { stripTypes } from './strip-types.js';

const [a, b] = await Promise.all([stripTypes('/** doc */ const id = <T,>(x: T): T => x;'), stripTypes('let n: number = 1 as number;')]);
console.log(a);
console.log(b);
