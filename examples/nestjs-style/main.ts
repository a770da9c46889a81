// npx tsc -p examples/nestjs-style && node examples/nestjs-style/dist/main.js
import { SerializationError } from 'isolated-call';
import { resolve } from './di.js';
import { Invoice, ReportService } from './report.service.js';

const service = resolve(ReportService);
console.log(`parent pid ${process.pid}`);
console.log(
  await service.renderInvoice(
    new Invoice('Invoice 42', [
      { label: 'hosting', amount: 20 },
      { label: 'support', amount: 12.5 },
    ]),
  ),
);

try {
  await service.currency();
} catch (error) {
  if (!(error instanceof SerializationError)) throw error;
  console.log(`currency(): SerializationError at ${error.path}: ${error.reason}`);
}
