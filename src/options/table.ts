import { availableParallelism } from 'node:os';
import type { CallInfo, Class } from '../contracts/call-info.js';
import type { Runner } from '../contracts/runner.js';
import type { SuperJSONOption } from '../contracts/superjson.js';
import * as v from './validators.js';
import type { Validator } from './validators.js';

/**
 * Where an option may be written. `method`: `@Isolated()`, `isolate()` and,
 * as a default for every method, `configure()`. `process`: `configure()`
 * only, a setting of the whole process rather than of a method.
 */
export type OptionScope = 'method' | 'process';

/** One row of the option table. */
export interface OptionSpec<T, S extends OptionScope = OptionScope> {
  readonly scope: S;
  /** The value when no layer sets the option. */
  readonly default: T;
  /** Validates a value that was set and returns it normalised. */
  readonly check: Validator<T>;
}

function methodOption<T>(defaultValue: T, check: Validator<T>): OptionSpec<T, 'method'> {
  return Object.freeze({ scope: 'method', default: defaultValue, check });
}

function processOption<T>(defaultValue: T, check: Validator<T>): OptionSpec<T, 'process'> {
  return Object.freeze({ scope: 'process', default: defaultValue, check });
}

/**
 * Every option of isolated-call: its scope, default and validator. The
 * public types are in ./types.ts (with their documentation), and
 * ./table-shape.ts checks the two agree; the resolved
 * type, the defaults and the validation are derived from this table.
 */
export const kOptionTable = Object.freeze({
  module: methodOption<string | undefined>(undefined, v.moduleLocation),
  id: methodOption<string | undefined>(undefined, v.nonEmptyString),
  execArgv: methodOption<readonly string[]>(Object.freeze([]), v.stringArray),
  env: methodOption<Readonly<Record<string, string | undefined>>>(Object.freeze(Object.create(null)), v.env),
  timeout: methodOption(0, v.milliseconds(0)),
  attemptTimeout: methodOption(0, v.milliseconds(0)),
  maxOldSpaceSize: methodOption<number | undefined>(undefined, v.integer(1, true)),
  grace: methodOption(1000, v.milliseconds()),
  classes: methodOption<readonly Class[]>(Object.freeze([]), v.classes),
  sendThis: methodOption(true, v.boolean),
  keepAlive: methodOption(0, v.milliseconds()),
  standby: methodOption(false, v.boolean),
  concurrency: methodOption(availableParallelism(), v.integer(1)),
  maxQueue: methodOption(Infinity, v.integer(0)),
  maxMessageBytes: methodOption(256 * 1024 * 1024, v.integer(1024)),
  streamAhead: methodOption(1024, v.integer(1)),
  streamAheadBytes: methodOption(16 * 1024 * 1024, v.integer(1)),
  maxCallsPerChild: methodOption(Infinity, v.integer(1)),
  maxChildRss: methodOption(Infinity, v.number(1)),
  maxRss: methodOption(Infinity, v.megabytes(32)),
  retries: methodOption(0, v.integer(0)),
  inspect: methodOption<boolean | number>(false, v.inspect),
  runner: methodOption<Runner | undefined>(undefined, v.runner),
  onCallEnd: methodOption<((info: CallInfo) => void) | undefined>(undefined, v.func<(info: CallInfo) => void>()),
  maxChildren: processOption(Math.max(4, 2 * availableParallelism()), v.integer(1)),
  superjson: processOption<SuperJSONOption | undefined>(undefined, v.superjson),
});

type Table = typeof kOptionTable;

/** The value type of a row. */
type ValueOf<S> = S extends OptionSpec<infer T, OptionScope> ? T : never;

type NamesOfScope<S extends OptionScope> = { [K in keyof Table]: Table[K]['scope'] extends S ? K : never }[keyof Table];

/** Options of `@Isolated()`, `isolate()` and `configure()`. */
export type MethodOptionName = NamesOfScope<'method'>;
/** Options of `configure()` alone. */
export type ProcessOptionName = NamesOfScope<'process'>;
export type OptionName = keyof Table;

/** Every option of a method with its value decided. Internal. */
export type ResolvedOptions = { readonly [K in MethodOptionName]: ValueOf<Table[K]> };
/** Process-wide settings with their values decided. Internal. */
export type ResolvedProcessOptions = { readonly [K in ProcessOptionName]: ValueOf<Table[K]> };

/** Null-prototype record of a table's column. */
function column<K extends OptionName>(scope: OptionScope): { [P in K]: ValueOf<Table[P]> } {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [name, spec] of Object.entries(kOptionTable)) if (spec.scope === scope) out[name] = spec.default;
  return Object.freeze(out) as { [P in K]: ValueOf<Table[P]> };
}

/** The defaults of every method option. */
export const kDefaultOptions: ResolvedOptions = column<MethodOptionName>('method');
/** The defaults of the process-wide settings. */
export const kDefaultProcessOptions: ResolvedProcessOptions = column<ProcessOptionName>('process');

const names = new Set<string>(Object.keys(kOptionTable));

/** Whether `name` is an option (own row of the table; never `constructor`, `__proto__` and such). */
export function isOptionName(name: string): name is OptionName {
  return names.has(name);
}
