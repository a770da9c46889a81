import { parseArgs } from 'node:util';

export const USAGE = `Usage: isolated-call cost [--json] [--timeout MS] <module...>

  What each module costs to load: each is imported in a fresh child process
  of its own (one at a time), which reports the import time, the resident
  memory (RSS) and V8 heap it added, and what stays after deleting it from
  the module cache and a full GC.

  <module>      a package name (resolved from the current folder), a built-in
                (node:path), or a file path (./src/parse.ts, ../lib/x.js)
  --json        print a JSON array, one object per module, most costly first
  --timeout MS  kill a module's child after MS milliseconds (default 60000)
  -h, --help    this text

  Exit code: 0 when every module loaded, 1 when one failed, 2 for bad usage.`;

/** What the command line asks for. */
export interface CostCommand {
  readonly modules: readonly string[];
  readonly json: boolean;
  readonly timeoutMs: number;
}

/** A command line that asks for the usage text, or gets it with a reason. */
export class UsageError extends Error {}

/** Parses `isolated-call <command> ...`; throws a UsageError for --help or bad usage. */
export function parseCommandLine(argv: readonly string[]): CostCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  const [command, ...modules] = positionals;
  if (command === undefined) throw new UsageError('no command given');
  if (command !== 'cost') throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  if (modules.length === 0) throw new UsageError('no modules given');
  const timeoutMs = values.timeout === undefined ? 60_000 : Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new UsageError(`--timeout must be a whole number of milliseconds >= 1, got ${JSON.stringify(values.timeout)}`);
  }
  return { modules, json: values.json === true, timeoutMs };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
