// The isolated methods: the same file on the caller and on every worker.
// Nothing here knows about BullMQ: main.ts chooses the runner.
import { Isolated, registerClass } from 'isolated-call';

export class Page {
  constructor(
    public readonly number: number,
    public readonly text: string,
  ) {}
}

export class RenderError extends Error {
  override name = 'RenderError';
  constructor(
    message: string,
    public readonly page: number,
  ) {
    super(message);
  }
}

// Both sides rebuild these by name: the caller its results and errors, the worker's child its arguments.
registerClass(Page);
registerClass(RenderError);

export class Renderer {
  constructor(private readonly dpi = 300) {}

  /** Stands in for a heavy renderer: loaded and run in a fresh child on a worker. */
  @Isolated({ timeout: 30_000 })
  async render(page: Page): Promise<{ page: Page; bytes: number; worker: string | undefined }> {
    if (page.text === '') throw new RenderError(`page ${page.number} is empty`, page.number);
    const { createHash } = await import('node:crypto'); // the heavy dependency would load here
    const digest = createHash('sha256').update(page.text.repeat(this.dpi)).digest();
    return { page, bytes: digest.length * this.dpi, worker: process.env.WORKER_NAME };
  }
}
