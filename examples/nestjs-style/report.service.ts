import { Isolated } from 'isolated-call';
import { Injectable, Logger } from './di.js';

@Injectable()
export class ReportConfig {
  currency = 'EUR';
}

export class Invoice {
  constructor(
    readonly title: string,
    readonly items: { label: string; amount: number }[],
  ) {}

  total(): number {
    return this.items.reduce((sum, item) => sum + item.amount, 0);
  }
}

@Injectable()
export class ReportService {
  private readonly logger = new Logger(ReportService.name);
  readonly width = 8;

  constructor(private readonly config: ReportConfig) {}

  /** Runs in the parent: uses the logger and the injected config, and passes the child what it needs. */
  async renderInvoice(invoice: Invoice): Promise<string> {
    this.logger.log(`rendering ${invoice.title}`);
    return this.render(invoice, this.config.currency);
  }

  // No option needed. `this.logger` and `this.config` can't cross (their
  // classes aren't registered): they stay in the parent, and this method
  // doesn't read them. `this.width` is plain data and crosses. With
  // emitDecoratorMetadata, @Isolated() sees that `invoice` is an Invoice and
  // lets Invoice instances cross by itself.
  @Isolated()
  async render(invoice: Invoice, currency: string): Promise<string> {
    const lines = invoice.items.map((item) => `  ${item.label.padEnd(this.width)} ${item.amount.toFixed(2)} ${currency}`);
    return [
      `${invoice.title}, rendered in pid ${process.pid}:`,
      ...lines,
      `  ${'total'.padEnd(this.width)} ${invoice.total().toFixed(2)} ${currency}`,
    ].join('\n');
  }

  // Reads a field that stayed in the parent: the call rejects with a
  // SerializationError at `this.config` that says so and what to do.
  @Isolated()
  async currency(): Promise<string> {
    return this.config.currency;
  }
}
