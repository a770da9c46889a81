// The caller: docker compose up --build (or, with a Redis and two workers
// running, REDIS_URL=redis://localhost:6379 npx tsx main.ts).
import { configure } from 'isolated-call';
import { bullmqRunner } from 'isolated-call/bullmq';
import { Page, RenderError, Renderer } from './renderer.js';

const runner = bullmqRunner({
  connection: process.env.REDIS_URL ?? 'redis://localhost:6379',
  queue: 'render',
  root: import.meta.dirname, // the workers' --root holds the same files
});
configure({ runner });

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
await runner.close();
