import type { OptionSpec, kOptionTable } from './table.js';
import type { IsolatedOptions, ProcessOptions } from './types.js';

// Checked by the compiler only; nothing imports this file. It sits apart
// from the table because the public types name CallRunner, whose run()
// takes the options the table resolves: checked inside table.ts, the two
// would import each other.

/**
 * The shape the table must have: one row per option of the public types,
 * no more, no less; a row's value type must fit the public option's type,
 * and its scope is `method` exactly for the options of `IsolatedOptions`.
 * Adding an option to `IsolatedOptions` (or `ProcessOptions`) without a row
 * in the table, or a row without the public option, doesn't compile.
 */
type TableShape = {
  readonly [K in keyof ProcessOptions]-?: OptionSpec<ProcessOptions[K], K extends keyof IsolatedOptions ? 'method' : 'process'>;
};

type Table = typeof kOptionTable;
type Assert<T extends true> = T;

/** Every public option has a row of a fitting type and scope. */
export type TableFitsOptions = Assert<Table extends TableShape ? true : false>;
/** No row without a public option. */
export type NoExtraRows = Assert<[Exclude<keyof Table, keyof ProcessOptions>] extends [never] ? true : false>;
