import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasRedisServer } from './helpers/redis.js';
import { runNode } from './helpers/scripts.js';

// Every example runs as users run it, in its own process, so none rots.
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const tsc = require.resolve('typescript/bin/tsc');

const run = (args: string[]) => runNode(args, { cwd: root, timeout: 90_000 }).stdout;

const tsx = (file: string) => run([tsxCli, file]);

describe('examples', { timeout: 120_000 }, () => {
  it('heavy-dependency: typescript runs in a child only', () => {
    const out = tsx('examples/heavy-dependency/main.ts');
    expect(out).toContain('var add = function (a, b) { return a + b; };');
    expect(out).toContain('typescript loaded here: false');
  });

  it('classes-and-errors: instances and typed errors come back', () => {
    const out = tsx('examples/classes-and-errors/main.ts');
    expect(out).toContain('centroid: (2, 1), a Point: true');
    expect(out).toContain('InvalidShapeError: triangle needs at least 3 points (got 1)');
    expect(out).toContain('ERR_ISOLATED_SERIALIZE at args[0][0].cache');
  });

  it('timeout-and-abort: typed errors for both', () => {
    const out = tsx('examples/timeout-and-abort/main.ts');
    expect(out).toContain('slept 10 ms');
    expect(out).toContain('ERR_ISOLATED_TIMEOUT after 2000 ms');
    expect(out).toContain('ERR_ISOLATED_ABORTED: TimeoutError');
  });

  it('callbacks: progress reports and answers from the parent, in order', () => {
    const out = tsx('examples/callbacks/main.ts');
    expect(out).toContain('progress: 250/1000\nprogress: 500/1000\nprogress: 750/1000\nprogress: 1000/1000\nimported 900 rows');
  });

  it('function-form: isolate()', () => {
    const out = tsx('examples/function-form/main.ts');
    expect(out).toContain('const id = (x) => x;');
    expect(out).toContain('let n = 1;');
  });

  it('streaming: an async generator method, read to its end and stopped by break', () => {
    const out = tsx('examples/streaming/main.ts');
    expect(out).toContain('class CallAbortedError in src/errors/call-aborted-error.ts');
    expect(out).toContain('class TempFolderError in src/errors/temp-folder-error.ts');
    expect(out).toMatch(/\d+ exported declarations in \d+ files/);
    expect(out).toContain('stopped after 3');
    expect(out).toContain('typescript loaded here: false');
  });

  it('commonjs: require() consumer', () => {
    const out = run(['examples/commonjs/main.cjs']);
    expect(out).toContain('{ a: 3, b: 2, call: 1 }');
    expect(out).toContain('typescript loaded here: false');
  });

  it('nestjs-style: legacy decorators and decorator metadata, compiled by tsc', () => {
    run([tsc, '-p', 'examples/nestjs-style']);
    const out = run(['examples/nestjs-style/dist/main.js']);
    const parent = /parent pid (\d+)/.exec(out)?.[1];
    const child = /rendered in pid (\d+)/.exec(out)?.[1];
    expect(parent).toBeDefined();
    expect(child).not.toBe(parent);
    expect(out).toContain('total    32.50 EUR');
    // The logger and the injected config stayed in the parent; reading one in the child names it.
    expect(out).toContain('[ReportService] rendering Invoice 42');
    expect(out).toMatch(/currency\(\): SerializationError at this\.config: it stayed in the parent.*class ReportConfig/);
  });

  it('keep-alive: a few children serve many calls', () => {
    const out = tsx('examples/keep-alive/main.ts');
    expect(out).toMatch(/50 calls, 350 tokens/);
    expect(out).toMatch(/served by [12] child process\(es\); stats: 50 calls/);
  });

  // OpenTelemetry isn't installed here: the example prints its spans as plain objects instead.
  it('opentelemetry: a span per call from the TracingChannel, without OpenTelemetry installed', () => {
    const out = tsx('examples/opentelemetry/main.ts');
    expect(out).toContain('OpenTelemetry not installed: printing spans');
    expect(out.match(/name: 'isolated-call Hasher\.digest'/g)).toHaveLength(3);
    expect(out).toMatch(/'isolated_call\.pid': \d+/);
    expect(out).toMatch(/'isolated_call\.peak_rss': [1-9]\d+/);
    expect(out).toContain("status: 'error: rounds must be at least 1, got 0'");
    expect(out).toContain("exceptions: [ 'RangeError: rounds must be at least 1, got 0' ]");
    expect(out).toContain('rejected: rounds must be at least 1, got 0');
  });

  // Needs redis-server (.ci/run installs it); skipped with a note elsewhere, as test/bullmq.test.ts is.
  it.runIf(hasRedisServer() || process.env.CI === 'true')(
    'bullmq-fleet: two local workers render the pages, typed results and errors come back',
    () => {
      const out = tsx('examples/bullmq-fleet/main.ts');
      expect(out.match(/^page \d \(a Page: true\): 4800 bytes, rendered by worker-[12]$/gm)).toHaveLength(8);
      expect(out).toContain('RenderError: page 9 is empty');
    },
  );

  it('demo: only the isolated run gives the memory back', () => {
    const out = tsx('examples/demo.ts');
    const kept = (row: string) => Number(new RegExp(`^\\(${row}\\).*?([+-][\\d.]+)\\s+(yes|no)$`, 'm').exec(out)?.[1]);
    expect(out).toMatch(/^\(a\).*yes$/m);
    expect(out).toMatch(/^\(c\).*no$/m);
    expect(kept('a')).toBeGreaterThan(30);
    expect(kept('c')).toBeLessThan(kept('a') / 2);
    expect(out).toMatch(/Child's peak RSS for \(c\), from onCallEnd: \d+\.\d MB/);
  });
});
