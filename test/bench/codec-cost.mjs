// `node test/bench/codec-cost.mjs [scenario ...]`: what the codec itself costs,
// in one process, per payload shape (the table in docs/marshalling.md, "What
// it costs"). The codec isn't exported, so src/codec is bundled with esbuild
// (tsup's) into a temporary file first. Each scenario runs in its own Node
// process with a 120 s limit: encode, V8 structured clone both ways (what the
// IPC channel does), decode; the median of three.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS = {
  plain: 'Array.from({ length: 200_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ["a", "b"], when: new Date(i) }))',
  instances: 'Array.from({ length: 200_000 }, (_, i) => new Point(i, i / 2))',
  keys: '(() => { const o = {}; for (let i = 0; i < 1e6; i++) o["k" + i] = i; return o; })()',
  'keys+instance': '(() => { const o = {}; for (let i = 0; i < 1e6; i++) o["k" + i] = i; o.p = new Point(1, 2); return o; })()',
  sparse: '(() => { const a = []; a[1e8 - 1] = 1; a[0] = 0; return a; })()',
  'sparse+instance': '(() => { const a = []; a[1e8 - 1] = new Point(1, 2); a[0] = 0; return a; })()',
  'sparse-max+instance': '(() => { const a = []; a[2 ** 32 - 2] = new Point(1, 2); return a; })()',
};

const picked = process.argv.slice(2);
const run = picked.length > 0 ? picked : Object.keys(SCENARIOS);
const dir = mkdtempSync(join(tmpdir(), 'codec-cost-'));
try {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    ['encode', 'decode', 'registerClass']
      .map(
        (name) =>
          `export { ${name} } from ${JSON.stringify(join(root, 'src/codec', name === 'registerClass' ? 'register.ts' : `${name}.ts`))};`,
      )
      .join('\n'),
  );
  const { buildSync } = await import(join(root, 'node_modules/esbuild/lib/main.js'));
  buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: join(dir, 'codec.cjs'), logLevel: 'error' });

  console.log('| payload | wire MB | encode ms | clone ms (V8) | decode ms | tagged |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const name of run) {
    const script = `
      const v8 = require('node:v8');
      const codec = require(${JSON.stringify(join(dir, 'codec.cjs'))});
      class Point { constructor(x, y) { this.x = x; this.y = y; } }
      codec.registerClass(Point, 'Point');
      const value = ${SCENARIOS[name]};
      const runs = [];
      for (let rep = 0; rep < 3; rep++) {
        let t = performance.now();
        const encoded = codec.encode(value, 'args');
        const e = performance.now() - t; t = performance.now();
        const bytes = v8.serialize(encoded);
        const copy = v8.deserialize(bytes);
        const c = performance.now() - t; t = performance.now();
        codec.decode(copy, 'args', { side: 'the child' });
        runs.push({ e, c, d: performance.now() - t, mb: bytes.length / 2 ** 20, t: encoded.t });
      }
      runs.sort((a, b) => a.e + a.d - (b.e + b.d));
      console.log(JSON.stringify(runs[1]));`;
    let row;
    try {
      const r = JSON.parse(execFileSync(process.execPath, ['-e', script], { timeout: 120_000, encoding: 'utf8' }));
      row = [r.mb.toFixed(2), r.e.toFixed(1), r.c.toFixed(1), r.d.toFixed(1), r.t ? 'yes' : 'no'];
    } catch {
      row = ['', 'over 120 s or failed', '', '', ''];
    }
    console.log(`| ${name} | ${row.join(' | ')} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
