import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { typeScriptLoaderFor } from '../parent/children/typescript-loader.js';
import { ownUrl } from '../shared/sdk-location.js';
import { isTypeScriptPath, localPath } from './module-spec.js';
import { type CostReport, parseReport } from './report.js';

const STDERR_TAIL_CHARS = 2000;

/**
 * Loads `spec` in a fresh child of its own (dist/cost-child.mjs) and returns
 * what it reports, or a failed report when it dies, times out or sends a
 * malformed report. The child's stdout is dropped (a module may print
 * anything) and its stderr kept only to explain a child that died.
 */
export function measureInChild(spec: string, options: { cwd: string; timeoutMs: number }): Promise<CostReport> {
  const file = localPath(spec, options.cwd);
  // A .ts file loads through the loader an isolated call's child would get for it.
  const loader = file && isTypeScriptPath(file) ? typeScriptLoaderFor(file, [], []) : undefined;
  const execArgv = ['--expose-gc', ...importMetaResolveFlag(), ...(loader?.add ?? [])];
  const child = fork(fileURLToPath(new URL('./cost-child.mjs', ownUrl)), [spec], {
    cwd: options.cwd,
    execArgv,
    env: { ...process.env, ...loader?.env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  let stderrTail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });

  return new Promise((resolve) => {
    let settled = false;
    const finish = (report: CostReport) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Its work is done once it has reported: a module may keep the event loop alive.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // A grandchild may hold the pipe open: the CLI must still be able to exit.
      child.stderr?.destroy();
      resolve(report);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: `no report within ${options.timeoutMs} ms (the child was killed)` }),
      options.timeoutMs,
    );
    child.on('message', (message: unknown) => {
      const report = parseReport(message);
      if (report instanceof Error) finish({ ok: false, error: `the measuring child sent an invalid report: ${report.message}` });
      else if (report) finish(report);
    });
    child.on('error', (error) => finish({ ok: false, error: `the measuring child failed: ${error.message}` }));
    const died = (code: number | null, signal: NodeJS.Signals | null) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = stderrTail.trim();
      finish({ ok: false, error: `the measuring child ${how} before reporting${tail ? `: ${tail}` : ''}` });
    };
    // 'close' comes once its stderr is read to the end; a grandchild holding the pipe open gets a second.
    child.on('close', died);
    child.on('exit', (code, signal) => setTimeout(() => died(code, signal), 1000).unref());
  });
}

/** Lets the child resolve an ES-only package from the working folder (import.meta.resolve's second argument). */
function importMetaResolveFlag(): string[] {
  const flag = '--experimental-import-meta-resolve';
  return process.allowedNodeEnvironmentFlags.has(flag) ? [flag] : [];
}
