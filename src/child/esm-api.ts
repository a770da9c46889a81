/**
 * dist/child-api.mjs: the child's API (child-api.ts) for ES modules. It is
 * dist/child.cjs itself, which the child runs as its main module: required
 * from the module cache, not compiled a second time. Named exports are
 * listed here rather than left to Node's CommonJS export lexer, which would
 * read and scan all of child.cjs.
 */
import { createRequire } from 'node:module';

type ChildApi = typeof import('./child-api.js');

const api = createRequire(import.meta.url)('./child.cjs') as ChildApi;

export const {
  Isolated,
  isolate,
  isIsolatedChild,
  configure,
  stats,
  shutdown,
  warmUp,
  diagnosticsChannels,
  registerClass,
  registerSymbol,
  registerCustom,
  measureRss,
  isModuleLoaded,
  IsolatedCallError,
  ChildExitedError,
  ChildOutOfMemoryError,
  CallTimeoutError,
  CallAbortedError,
  SerializationError,
  ModuleLoadError,
  ProtocolError,
  TempFolderError,
  ShutdownError,
  QueueFullError,
  InvalidOptionError,
  CallbackExpiredError,
} = api;
