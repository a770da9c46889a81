import { startIfBundledChild } from './child/bundled-child.js';

export { Isolated, type IsolatedDecorator, type AsyncMethod, type StreamMethod } from './decorator/isolated.js';
export { isolate } from './decorator/isolate.js';
export { isIsolatedChild } from './is-isolated-child.js';
export type { IsolatedOptions, CallInfo, Class } from './options/types.js';
export type { SuperJSONLike } from './options/types.js';
export { configure, stats, shutdown, warmUp, type ProcessOptions, type ShutdownOptions } from './parent/pool/pool-api.js';
export type { CallRunner, RunnerCall } from './options/runner.js';
export type { MethodStats } from './parent/pool/method-stats.js';
export type { LatencyPercentiles } from './parent/pool/latency-window.js';
export { diagnosticsChannels, type CallTraceContext } from './parent/calls/call-tracing.js';
export type { ChildExitEvent, ChildExitReason, ChildSpawnEvent } from './parent/children/child-events.js';
export { registerClass, registerSymbol, registerCustom, type RegisterClassOptions, type CustomTransformer } from './codec/register.js';
export { measureRss, type RssMeasurement, type RssSnapshot } from './measure/measure-rss.js';
export { isModuleLoaded } from './measure/is-module-loaded.js';
export { IsolatedCallError, type IsolatedCallErrorCode, type IsolatedCallErrorInit } from './errors/isolated-call-error.js';
export {
  ChildExitedError,
  ChildOutOfMemoryError,
  type ChildExit,
  type ChildSignal,
  type OutOfMemoryKind,
} from './errors/child-exited-error.js';
export { CallTimeoutError } from './errors/call-timeout-error.js';
export { CallAbortedError } from './errors/call-aborted-error.js';
export { SerializationError } from './errors/serialization-error.js';
export { ModuleLoadError } from './errors/module-load-error.js';
export { ProtocolError } from './errors/protocol-error.js';
export { TempFolderError } from './errors/temp-folder-error.js';
export { ShutdownError } from './errors/shutdown-error.js';
export { QueueFullError } from './errors/queue-full-error.js';
export { InvalidOptionError } from './errors/invalid-option-error.js';
export { CallbackExpiredError } from './errors/callback-expired-error.js';

// A child forked from an app's bundle that holds the SDK starts its loop here,
// before the app's own code runs (child/bundled-child.ts); elsewhere a no-op.
startIfBundledChild();
