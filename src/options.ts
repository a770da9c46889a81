// The options of isolated-call: public types, the option table and the resolver.
export type { CallInfo, Class, IsolatedOptions, ProcessOptions } from './options/types.js';
export {
  kDefaultOptions,
  kDefaultProcessOptions,
  kOptionTable,
  type MethodOptionName,
  type OptionName,
  type OptionScope,
  type OptionSpec,
  type ProcessOptionName,
  type ResolvedOptions,
  type ResolvedProcessOptions,
} from './options/table.js';
export { resolveOptions, resolveProcessOptions, type ConfiguredOptions } from './options/resolve.js';
