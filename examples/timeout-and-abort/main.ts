// npx tsx examples/timeout-and-abort/main.ts
import { CallAbortedError, CallTimeoutError } from 'isolated-call';
import { Jobs } from './jobs.js';

const jobs = new Jobs();
console.log(await jobs.sleep(10));

try {
  await jobs.sleep(60_000);
} catch (error) {
  // The child was killed; the message names its pid.
  if (error instanceof CallTimeoutError) console.log(`${error.code} after ${error.timeout} ms`);
}

try {
  await jobs.poll(AbortSignal.timeout(1_000));
} catch (error) {
  // The call rejects at once; the child sees its signal abort and gets `grace` ms to finish.
  if (error instanceof CallAbortedError) console.log(`${error.code}: ${(error.cause as Error).name}`);
}
