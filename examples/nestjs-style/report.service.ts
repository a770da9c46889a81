import { Isolated } from 'isolated-call';
import { Injectable } from './di.js';

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
  constructor(private readonly config: ReportConfig) {}

  // With emitDecoratorMetadata, @Isolated() sees that `invoice` is an Invoice
  // and lets Invoice instances cross by itself. `this` goes to the child too,
  // with its injected ReportConfig: list that class. (An injected service that
  // can't cross, like a database pool, calls for `sendThis: false`.)
  @Isolated({ classes: [ReportConfig] })
  async render(invoice: Invoice): Promise<string> {
    const { currency } = this.config;
    const lines = invoice.items.map((item) => `  ${item.label.padEnd(8)} ${item.amount.toFixed(2)} ${currency}`);
    return [
      `${invoice.title}, rendered in pid ${process.pid}:`,
      ...lines,
      `  ${'total'.padEnd(8)} ${invoice.total().toFixed(2)} ${currency}`,
    ].join('\n');
  }
}
