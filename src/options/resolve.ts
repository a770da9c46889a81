import { InvalidOptionError } from '../errors/invalid-option-error.js';
import {
  isOptionName,
  kDefaultOptions,
  kOptionTable,
  type OptionName,
  type ResolvedOptions,
  type ResolvedProcessOptions,
} from './table.js';
import type { IsolatedOptions, ProcessOptions } from './types.js';
import { describe } from './validators.js';

type Layer = Partial<Record<OptionName, unknown>>;

/**
 * Merges the defaults, `configure()`'s options and a decorator's (later
 * layers win, option by option; an option set to `undefined` counts as not
 * set), validating each. Also validates a single layer: `@Isolated()` and
 * `isolate()` call it with their options at decoration time.
 *
 * @throws InvalidOptionError for an unknown option, a bad value, a
 *   process-wide option (`maxChildren`), or contradictory options written
 *   together in one layer.
 */
export function resolveOptions(...layers: (IsolatedOptions | undefined)[]): ResolvedOptions {
  // A null-prototype copy: a polluted Object.prototype can't inject options.
  const merged: Record<string, unknown> = Object.assign(Object.create(null), kDefaultOptions);
  for (const options of layers) {
    if (options === undefined) continue;
    Object.assign(merged, readLayer(options, 'method'));
  }
  return Object.freeze(merged) as ResolvedOptions;
}

/** What `configure()` applies: the process-wide settings it was given, and the method defaults. */
export type ConfiguredOptions = Partial<ResolvedProcessOptions> & {
  /** The method options given, validated and normalised, in a frozen null-prototype object. */
  readonly defaults: IsolatedOptions;
};

/**
 * Validates the options of `configure()` and splits them: process-wide
 * settings (`maxChildren`), present only when given, and the defaults for
 * every method, to be passed later as the first layer of `resolveOptions()`.
 *
 * @throws InvalidOptionError as `resolveOptions()` does; nothing is applied.
 */
export function resolveProcessOptions(options: ProcessOptions): ConfiguredOptions {
  const layer = readLayer(options, 'process');
  const defaults: Record<string, unknown> = Object.create(null);
  const result: Record<string, unknown> = Object.create(null);
  for (const [name, value] of Object.entries(layer) as [OptionName, unknown][]) {
    if (kOptionTable[name].scope === 'process') result[name] = value;
    else defaults[name] = value;
  }
  result.defaults = Object.freeze(defaults);
  return Object.freeze(result) as ConfiguredOptions;
}

/**
 * One layer of options, copied into a null-prototype object: own enumerable
 * keys only, each validated and normalised, `undefined` values left out.
 */
function readLayer(options: unknown, where: 'method' | 'process'): Layer {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError('options', `expected an object of options, got ${describe(options)}`);
  }
  const layer: Layer = Object.create(null);
  for (const name of Object.keys(options)) {
    if (!isOptionName(name)) throw new InvalidOptionError(name, `is not an option of isolated-call${suggest(name)}`);
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const spec = kOptionTable[name];
    if (spec.scope === 'process' && where === 'method') {
      throw new InvalidOptionError(name, 'is a process-wide option: pass it to configure(), not to @Isolated() or isolate()');
    }
    layer[name] = (spec.check as (value: unknown, name: string) => unknown)(value, name);
  }
  checkConflicts(layer);
  return layer;
}

/**
 * Options that contradict each other when written together. Checked within
 * one layer only: across layers the later one wins, so a `configure()`
 * default can never make a decorated method fail at call time.
 */
function checkConflicts(layer: Layer): void {
  const { inspect, concurrency, standby, timeout, attemptTimeout } = layer as Partial<ResolvedOptions>;
  if (typeof inspect === 'number' && inspect !== 0) {
    if (concurrency !== undefined && concurrency > 1) {
      throw new InvalidOptionError(
        'inspect',
        `a fixed inspector port (${inspect}) serves one child at a time, but concurrency is ${concurrency}: ` +
          'set concurrency: 1, or inspect: true for a free port per child',
      );
    }
    if (standby === true) {
      throw new InvalidOptionError(
        'inspect',
        `a fixed inspector port (${inspect}) serves one child at a time, but standby: true starts the next child ` +
          'while a call still holds the port: drop standby, or use inspect: true for a free port per child',
      );
    }
  }
  if (timeout !== undefined && attemptTimeout !== undefined && timeout > 0 && attemptTimeout > timeout) {
    throw new InvalidOptionError(
      'attemptTimeout',
      `attemptTimeout (${attemptTimeout} ms) is longer than timeout (${timeout} ms), which counts every attempt, ` +
        'so it could never run out: make attemptTimeout the shorter one',
    );
  }
}

/** ` (did you mean "keepAlive"?)` for a name that differs from an option only in case or dashes. */
function suggest(name: string): string {
  const simple = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const match = Object.keys(kOptionTable).find((option) => simple(option) === simple(name));
  return match ? ` (did you mean "${match}"?)` : '';
}
