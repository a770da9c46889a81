import { dropTsxFlags } from './typescript-loader.js';

/**
 * Parent flags that would break or block a child, or fight the parent for a
 * port or a file: debuggers, watch mode, the test runner, profilers and
 * heap snapshots, code given on the command line, snapshots and syntax checks.
 * Matched on the flag's name with `_` read as `-` (Node accepts both).
 */
const DROPPED = new RegExp(
  '^--(?:inspect|debug|watch|test|experimental-test|prof|cpu-prof|heap-prof|heapsnapshot|diagnostic-dir|eval|print|' +
    'input-type|run|experimental-default-type|interactive|check|build-snapshot|snapshot-blob)(?:-[\\w-]+)?$|^-(?:e|p|pe|i|c)$',
);
/** Dropped flags whose value may come as the next argument rather than after `=`. */
const DROPPED_WITH_VALUE = new RegExp(
  '^--(?:eval|print|input-type|inspect-port|debug-port|watch-path|test-name-pattern|test-skip-pattern|test-reporter|' +
    'test-reporter-destination|test-concurrency|test-shard|test-timeout|test-coverage-include|test-coverage-exclude|' +
    'cpu-prof-dir|cpu-prof-name|cpu-prof-interval|heap-prof-dir|heap-prof-name|heap-prof-interval|diagnostic-dir|' +
    'heapsnapshot-signal|heapsnapshot-near-heap-limit|run|snapshot-blob|build-snapshot-config)$|^-(?:e|p|pe)$',
);
/** Kept flags whose value may come as the next argument: that value is kept as it is, never read as a flag. */
const KEPT_WITH_VALUE = /^(?:-r|-C|--require|--import|--loader|--experimental-loader|--conditions|--title|--env-file)$/;
/** A parent heap limit, replaced by the `maxOldSpaceSize` option when that is set. */
const HEAP_LIMIT = /^--max-old-space-size$/;

/**
 * The parent's Node flags that a child should share: loaders (`--import tsx`,
 * `--require`, `--loader`), conditions, heap and feature flags; without the
 * ones that would break or block it (`--inspect*`, `--watch`, `--test*`,
 * profilers, `--eval`/`-e`/`--print`/`-p` and their code). With
 * `maxOldSpaceSize`, the parent's `--max-old-space-size` gives way to it.
 * Pure: reads nothing but its arguments.
 *
 * `process.execArgv` never holds the script or its arguments, so an element
 * that doesn't start with `-` is always the value of the flag before it.
 */
export function inheritedExecArgv(parentArgv: readonly string[] = process.execArgv, maxOldSpaceSize?: number): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parentArgv.length; i++) {
    const flag = parentArgv[i] ?? '';
    const name = flagName(flag);
    const next = flag.includes('=') ? undefined : parentArgv[i + 1];
    if (DROPPED.test(name)) {
      if (next !== undefined && (DROPPED_WITH_VALUE.test(name) || !next.startsWith('-'))) i++; // its value goes too
      continue;
    }
    if (maxOldSpaceSize !== undefined && HEAP_LIMIT.test(name)) continue;
    kept.push(flag);
    if (next !== undefined && KEPT_WITH_VALUE.test(name)) {
      kept.push(next);
      i++;
    }
  }
  if (maxOldSpaceSize !== undefined) kept.push(`--max-old-space-size=${maxOldSpaceSize}`);
  return kept;
}

/** A flag's name, without any `=value`, with `_` read as `-` the way Node reads it. */
function flagName(flag: string): string {
  const eq = flag.indexOf('=');
  const name = eq === -1 ? flag : flag.slice(0, eq);
  return name.startsWith('--') ? name.replace(/_/g, '-') : name;
}

/**
 * `NODE_OPTIONS` as a child should inherit it: the same flags dropped as from
 * the command line (`NODE_OPTIONS=--inspect` would make every child fight the
 * parent for port 9229). Returned unchanged, byte for byte, when nothing is
 * dropped or when it can't be parsed; otherwise the kept flags are written
 * back, quoted where needed. `withoutTsx`: tsx's flags go too (the child has
 * the SDK's own TypeScript loader instead). Pure.
 */
export function inheritedNodeOptions(nodeOptions: string, withoutTsx = false): string {
  const tokens = splitNodeOptions(nodeOptions);
  if (tokens === undefined) return nodeOptions;
  const kept = withoutTsx ? dropTsxFlags(inheritedExecArgv(tokens)) : inheritedExecArgv(tokens);
  if (kept.length === tokens.length) return nodeOptions;
  return kept.map((token) => (/^[^\s"\\]+$/.test(token) ? token : `"${token.replace(/["\\]/g, '\\$&')}"`)).join(' ');
}

/**
 * Splits `NODE_OPTIONS` the way Node does: on spaces, with double quotes
 * grouping, and backslash escaping the next character inside quotes.
 * `undefined` where Node would refuse it (an unterminated quote or escape).
 */
function splitNodeOptions(value: string): string[] | undefined {
  const tokens: string[] = [];
  let current: string | undefined;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    let c = value[i] as string;
    if (c === '\\' && quoted) {
      if (i + 1 === value.length) return undefined;
      c = value[++i] as string;
    } else if (c === ' ' && !quoted) {
      if (current !== undefined) tokens.push(current);
      current = undefined;
      continue;
    } else if (c === '"') {
      quoted = !quoted;
      continue;
    }
    current = (current ?? '') + c;
  }
  if (quoted) return undefined;
  if (current !== undefined) tokens.push(current);
  return tokens;
}
