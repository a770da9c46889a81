import { spawnSync } from 'node:child_process';

interface NodeRun {
  stdout: string;
  stderr: string;
}

/** Runs `node ...args` to its end and returns what it printed; throws with all of it unless it exits with 0. */
export function runNode(
  args: string[],
  { cwd, timeout = 60_000, env }: { cwd?: string; timeout?: number; env?: Record<string, string> } = {},
): NodeRun {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout, env: env && { ...process.env, ...env } });
  if (result.status !== 0) {
    const why = result.error ? `${result.error.message}, ` : '';
    throw new Error(
      `node ${args.join(' ')} failed (${why}status ${result.status}, signal ${result.signal}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** Parses the last line of a script's output, where the scripts print their result as JSON. */
export function lastJsonLine(stdout: string): any {
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** `runNode`, with the script's result parsed from its last line. */
export function runNodeJson(
  args: string[],
  options?: { cwd?: string; timeout?: number; env?: Record<string, string> },
): NodeRun & { json: any } {
  const run = runNode(args, options);
  return { ...run, json: lastJsonLine(run.stdout) };
}
