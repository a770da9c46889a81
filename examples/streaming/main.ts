// npx tsx examples/streaming/main.ts
//
// An async generator method: values stream from the child as it finds them.
import { readdirSync } from 'node:fs';
import { isModuleLoaded } from 'isolated-call';
import { Declarations } from './declarations.js';

const dir = new URL('../../src/errors/', import.meta.url);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.ts'))
  .sort()
  .map((name) => new URL(name, dir).pathname);

const declarations = new Declarations();

// Read the whole stream; the generator's return value ends it.
const stream = declarations.exported(files);
let step = await stream.next();
while (!step.done) {
  const { kind, name, file } = step.value;
  if (kind === 'class') console.log(`${kind} ${name} in ${file.slice(file.indexOf('src/'))}`);
  step = await stream.next();
}
console.log(`${step.value} exported declarations in ${files.length} files`);

// Stop early: break ends the generator in the child (its finally runs there).
let seen = 0;
for await (const _ of declarations.exported(files)) if (++seen === 3) break;
console.log(`stopped after ${seen}`);

console.log(`typescript loaded here: ${isModuleLoaded('typescript')}`);
