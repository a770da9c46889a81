// npx tsx examples/bullmq-fleet/main.ts   (needs redis-server on the PATH)
//
// Renders eight pages on a fleet of two workers: each call is a job, run in a
// fresh child on whichever worker takes it, and comes back as a Page instance;
// an empty page comes back as a RenderError. fleet.ts starts a Redis and the
// workers here; in production they run on other machines with the same code
// (docs/scaling-out.md).
import { configure } from 'isolated-call';
import { bullmqRunner } from 'isolated-call/bullmq';
import { startFleet } from './fleet.js';
import { Page, RenderError, Renderer } from './renderer.js';

const fleet = await startFleet(import.meta.dirname, 2);
const runner = bullmqRunner({
  connection: fleet.redisUrl,
  queue: 'render',
  root: import.meta.dirname, // the workers' --root holds the same files
});
configure({ runner });

try {
  const renderer = new Renderer(150);
  const pages = Array.from({ length: 8 }, (_, i) => new Page(i + 1, `page ${i + 1}`));
  for (const { page, bytes, worker } of await Promise.all(pages.map((p) => renderer.render(p)))) {
    console.log(`page ${page.number} (a Page: ${page instanceof Page}): ${bytes} bytes, rendered by ${worker}`);
  }
  try {
    await renderer.render(new Page(9, ''));
  } catch (error) {
    console.log(`${error instanceof RenderError ? 'RenderError' : 'other'}: ${(error as Error).message}`);
  }
} finally {
  await runner.close();
  await fleet.stop();
}
