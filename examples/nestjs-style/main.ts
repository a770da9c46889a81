// npx tsc -p examples/nestjs-style && node examples/nestjs-style/dist/main.js
import { resolve } from './di.js';
import { Invoice, ReportService } from './report.service.js';

const service = resolve(ReportService);
console.log(`parent pid ${process.pid}`);
console.log(
  await service.render(
    new Invoice('Invoice 42', [
      { label: 'hosting', amount: 20 },
      { label: 'support', amount: 12.5 },
    ]),
  ),
);
