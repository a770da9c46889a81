// Part of `npm run lint`: no product file in src/ over 200 lines. A file that
// grows past it holds more than one job; split it by job, not by line count.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_LINES = 200;
const src = fileURLToPath(new URL('../../src/', import.meta.url));

function* productFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* productFiles(path);
    else if (/\.[cm]?ts$/.test(entry.name) && !/\.test\.ts$|\.test-helper\.ts$/.test(entry.name)) yield path;
  }
}

const tooLong = [];
for (const file of productFiles(src)) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_LINES) tooLong.push(`src/${relative(src, file)}: ${lines} lines`);
}
if (tooLong.length > 0) {
  console.error(`Over ${MAX_LINES} lines (split by job):\n  ${tooLong.join('\n  ')}`);
  process.exit(1);
}
