// Shared helpers of the benchmark scenarios: statistics, tables, timing and
// running a piece of a scenario in its own subprocess.
import { spawn } from 'node:child_process';
import { cpus, availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

export const benchDir = fileURLToPath(new URL('.', import.meta.url));
export const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** An integer from the environment, or the default. */
export function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return n;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
export const median = (values) => quantile(values, 0.5);
export const p90 = (values) => quantile(values, 0.9);

/** Collects samples per contender, in the order contenders were first seen. */
export class Samples {
  constructor() {
    this.map = new Map();
  }
  add(name, value) {
    if (!this.map.has(name)) this.map.set(name, []);
    this.map.get(name).push(value);
  }
  get(name) {
    return this.map.get(name) ?? [];
  }
  median(name) {
    return median(this.get(name));
  }
}

/** Runs `fn` (async) once and returns elapsed ms. */
export async function time(fn) {
  const t0 = now();
  await fn();
  return now() - t0;
}

function fmtNumber(value, digits) {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  if (typeof value === 'string') return value;
  const abs = Math.abs(value);
  const d = digits ?? (abs >= 100 ? 0 : abs >= 10 ? 1 : 2);
  return value.toFixed(d);
}

/**
 * Prints a markdown table. `rows` are objects; `columns` is a list of
 * [header, key or function, digits?].
 */
export function table(title, columns, rows) {
  const header = columns.map((c) => c[0]);
  const body = rows.map((row) =>
    columns.map(([, key, digits]) => {
      const v = typeof key === 'function' ? key(row) : row[key];
      return typeof v === 'number' ? fmtNumber(v, digits) : (v ?? '–');
    }),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const out = [];
  if (title) out.push(`\n${title}\n`);
  out.push(line(header));
  out.push(`|${widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`);
  for (const r of body) out.push(line(r));
  console.log(out.join('\n'));
}

export const ratio = (value, base) => (base > 0 && Number.isFinite(value) ? `${(value / base).toFixed(2)}x` : '–');

/** A row for a timing table: median, p90 and the ratio of the median to `baseMedian`. */
export function timingRow(name, values, baseMedian, note = '') {
  const m = median(values);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { name, n: values.length, median: m, p90: p90(values), mean, ratio: ratio(m, baseMedian), note };
}

export const timingColumns = (unit = 'ms', note = true) => [
  ['contender', 'name'],
  ['n', 'n', 0],
  [`median ${unit}`, 'median'],
  [`p90 ${unit}`, 'p90'],
  ['ratio', 'ratio'],
  ...(note ? [['what it includes', 'note']] : []),
];

export function heading(name, method) {
  console.log(`\n## ${name}\n`);
  for (const line of method) console.log(`- ${line}`);
}

export function verdict(label, value, limit, lowerIsBetter = true) {
  const ok = lowerIsBetter ? value <= limit : value >= limit;
  console.log(`target ${label}: ${Number.isFinite(value) ? value.toFixed(2) : value} (limit ${limit}) → ${ok ? 'met' : 'MISSED'}`);
  return ok;
}

/**
 * Runs `node [flags] script args` and resolves with the JSON the script
 * printed on its last stdout line (the script prints progress on stderr).
 */
export function runJson(script, args = [], { env, flags = [], cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, script, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));
      const last = out.trim().split('\n').pop();
      try {
        resolve(JSON.parse(last));
      } catch (error) {
        reject(new Error(`${script} printed no JSON: ${out.slice(-500)}`, { cause: error }));
      }
    });
  });
}

export function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown';
  return {
    node: process.version,
    cpus: availableParallelism(),
    cpu,
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

export function gc() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
}

export const MB = 1024 * 1024;

/**
 * `await shutdown()` with a warm or standby child alive: the children it
 * waits for are unreferenced, so nothing keeps the event loop running and a
 * script ends (exit code 13 for a top-level await) before it resolves. A
 * referenced timer keeps the process alive meanwhile.
 */
export async function shutdownSdk(sdk) {
  const keep = setInterval(() => {}, 1000);
  try {
    await sdk.shutdown();
  } finally {
    clearInterval(keep);
  }
}
