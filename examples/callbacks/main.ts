// npx tsx examples/callbacks/main.ts
import { Importer, type Progress } from './importer.js';

const rows = Array.from({ length: 1_000 }, (_, i) => (i % 10 === 0 ? `#comment ${i}` : `row ${i}`));

const imported = await new Importer().importRows(rows, {
  onProgress: ({ done, total }: Progress) => console.log(`progress: ${done}/${total}`),
  shouldSkip: (row: string) => row.startsWith('#'),
});
console.log(`imported ${imported} rows`);
