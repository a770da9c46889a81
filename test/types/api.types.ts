import SuperJSON from 'superjson';
import { expectTypeOf } from 'vitest';
import {
  CallbackExpiredError,
  ChildExitedError,
  ChildOutOfMemoryError,
  CallAbortedError,
  CallTimeoutError,
  InvalidOptionError,
  IsolatedCallError,
  ModuleLoadError,
  ProtocolError,
  SerializationError,
  ShutdownError,
  QueueFullError,
  TempFolderError,
  configure,
  isIsolatedChild,
  isModuleLoaded,
  measureRss,
  registerClass,
  registerCustom,
  shutdown,
  stats,
  warmUp,
  type IsolatedCallErrorCode,
  type MethodStats,
  type OutOfMemoryKind,
  type RssMeasurement,
  type RssSnapshot,
} from 'isolated-call';

// measureRss(): a snapshot now; measureRss(fn): a measurement of fn.
expectTypeOf(measureRss()).toEqualTypeOf<RssSnapshot>();
expectTypeOf(measureRss().rss).toEqualTypeOf<number>();
expectTypeOf(measureRss().peak).toEqualTypeOf<number>();
expectTypeOf(measureRss(() => 42)).toEqualTypeOf<Promise<RssMeasurement<number>>>();
expectTypeOf(measureRss(async () => 'done')).toEqualTypeOf<Promise<RssMeasurement<string>>>();
expectTypeOf(measureRss(() => Promise.resolve([1]))).toEqualTypeOf<Promise<RssMeasurement<number[]>>>();
declare const measured: RssMeasurement<{ ok: true }>;
expectTypeOf(measured.result).toEqualTypeOf<{ ok: true }>();
expectTypeOf(measured.before).toEqualTypeOf<RssSnapshot>();
expectTypeOf(measured.after).toEqualTypeOf<RssSnapshot>();
expectTypeOf(measured.delta).toEqualTypeOf<number>();
expectTypeOf(measured.peak).toEqualTypeOf<number>();
expectTypeOf(measured.peakIsScoped).toEqualTypeOf<boolean>();
expectTypeOf(measured.collected).toEqualTypeOf<boolean>();
// @ts-expect-error takes a function, not a value
measureRss(42);

// Error classes: one base, a stable code, the fields to act on.
expectTypeOf<IsolatedCallErrorCode>().toEqualTypeOf<
  | 'ERR_ISOLATED_CHILD_EXITED'
  | 'ERR_ISOLATED_CHILD_OOM'
  | 'ERR_ISOLATED_TIMEOUT'
  | 'ERR_ISOLATED_ABORTED'
  | 'ERR_ISOLATED_SERIALIZE'
  | 'ERR_ISOLATED_MODULE_LOAD'
  | 'ERR_ISOLATED_PROTOCOL'
  | 'ERR_ISOLATED_TEMP_FOLDER'
  | 'ERR_ISOLATED_SHUTDOWN'
  | 'ERR_ISOLATED_QUEUE_FULL'
  | 'ERR_ISOLATED_INVALID_OPTION'
  | 'ERR_ISOLATED_CALLBACK_EXPIRED'
  | 'ERR_ISOLATED_PAYLOAD_TOO_LARGE' // isolated-call/bullmq
  | 'ERR_ISOLATED_REMOTE_JOB' // isolated-call/bullmq
  | 'ERR_ISOLATED_JOB_REFUSED' // isolated-call/bullmq
  | 'ERR_ISOLATED_JOB_LOST' // isolated-call/bullmq
>();
for (const cls of [
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
]) {
  expectTypeOf(cls.prototype).toMatchTypeOf<IsolatedCallError>();
  expectTypeOf(cls.prototype).toMatchTypeOf<Error>();
}
expectTypeOf<IsolatedCallError['code']>().toEqualTypeOf<IsolatedCallErrorCode>();
// Each class narrows the code to its own literal(s).
expectTypeOf<ChildExitedError['code']>().toEqualTypeOf<'ERR_ISOLATED_CHILD_EXITED' | 'ERR_ISOLATED_CHILD_OOM'>();
expectTypeOf<ChildOutOfMemoryError['code']>().toEqualTypeOf<'ERR_ISOLATED_CHILD_OOM'>();
expectTypeOf<CallTimeoutError['code']>().toEqualTypeOf<'ERR_ISOLATED_TIMEOUT'>();
expectTypeOf<CallAbortedError['code']>().toEqualTypeOf<'ERR_ISOLATED_ABORTED'>();
expectTypeOf<SerializationError['code']>().toEqualTypeOf<'ERR_ISOLATED_SERIALIZE'>();
expectTypeOf<ModuleLoadError['code']>().toEqualTypeOf<'ERR_ISOLATED_MODULE_LOAD'>();
expectTypeOf<ProtocolError['code']>().toEqualTypeOf<'ERR_ISOLATED_PROTOCOL'>();
expectTypeOf<TempFolderError['code']>().toEqualTypeOf<'ERR_ISOLATED_TEMP_FOLDER'>();
expectTypeOf<TempFolderError['path']>().toEqualTypeOf<string>();
expectTypeOf<TempFolderError['problem']>().toEqualTypeOf<string>();
expectTypeOf<ShutdownError['code']>().toEqualTypeOf<'ERR_ISOLATED_SHUTDOWN'>();
expectTypeOf<QueueFullError['code']>().toEqualTypeOf<'ERR_ISOLATED_QUEUE_FULL'>();
expectTypeOf<QueueFullError['maxQueue']>().toEqualTypeOf<number>();
expectTypeOf<InvalidOptionError['code']>().toEqualTypeOf<'ERR_ISOLATED_INVALID_OPTION'>();
expectTypeOf<CallbackExpiredError['code']>().toEqualTypeOf<'ERR_ISOLATED_CALLBACK_EXPIRED'>();
expectTypeOf<CallbackExpiredError['path']>().toEqualTypeOf<string>();
expectTypeOf<IsolatedCallError['pid']>().toEqualTypeOf<number | undefined>();
expectTypeOf<ChildExitedError['exitCode']>().toEqualTypeOf<number | null>();
expectTypeOf<ChildExitedError['signal']>().toEqualTypeOf<NodeJS.Signals | null>();
expectTypeOf<ChildExitedError['stderr']>().toEqualTypeOf<string>();
expectTypeOf(ChildOutOfMemoryError.prototype).toMatchTypeOf<ChildExitedError>();
expectTypeOf<ChildOutOfMemoryError['kind']>().toEqualTypeOf<OutOfMemoryKind>();
expectTypeOf<OutOfMemoryKind>().toEqualTypeOf<'rss' | 'heap' | 'system'>();
expectTypeOf<ChildOutOfMemoryError['limitMb']>().toEqualTypeOf<number | undefined>();
expectTypeOf<ChildOutOfMemoryError['peakMb']>().toEqualTypeOf<number | undefined>();
expectTypeOf<CallTimeoutError['timeout']>().toEqualTypeOf<number>();
expectTypeOf<SerializationError['path']>().toEqualTypeOf<string>();
expectTypeOf<SerializationError['reason']>().toEqualTypeOf<string>();
expectTypeOf<ModuleLoadError['module']>().toEqualTypeOf<string>();
expectTypeOf<InvalidOptionError['option']>().toEqualTypeOf<string>();

declare const caught: unknown;
if (caught instanceof SerializationError) expectTypeOf(caught.path).toBeString();
if (caught instanceof ChildExitedError && caught.code === 'ERR_ISOLATED_CHILD_OOM')
  expectTypeOf(caught.exitCode).toEqualTypeOf<number | null>();
// @ts-expect-error a timeout error never has another code
if (caught instanceof CallTimeoutError && caught.code === 'ERR_ISOLATED_ABORTED') void caught;
if (caught instanceof IsolatedCallError && caught.code === 'ERR_ISOLATED_TIMEOUT')
  expectTypeOf(caught.code).toEqualTypeOf<'ERR_ISOLATED_TIMEOUT'>();
// @ts-expect-error codes are a closed set
if (caught instanceof IsolatedCallError && caught.code === 'ERR_TIMEOUT') void caught;
// @ts-expect-error fields are read-only
new CallTimeoutError('x', 1, undefined).timeout = 2;

// The rest of the surface.
expectTypeOf(isIsolatedChild()).toEqualTypeOf<boolean>();
expectTypeOf(isModuleLoaded('typescript')).toEqualTypeOf<boolean>();
expectTypeOf(stats()).toEqualTypeOf<MethodStats[]>();
expectTypeOf(shutdown()).toEqualTypeOf<Promise<void>>();
expectTypeOf(configure).parameter(0).toHaveProperty('timeout');
expectTypeOf(configure).parameter(0).toHaveProperty('maxChildren');
expectTypeOf(configure).parameter(0).toHaveProperty('maxQueue');
expectTypeOf(configure).parameter(0).toHaveProperty('attemptTimeout');
expectTypeOf(warmUp).returns.toEqualTypeOf<void>();
// The app's superjson: an instance, the class (its default instance), or null to remove it.
configure({ superjson: new SuperJSON() });
configure({ superjson: SuperJSON });
configure({ superjson: null });
// @ts-expect-error not a superjson instance
configure({ superjson: {} });
registerClass(class Point {});
registerCustom<URLSearchParams, string>(
  {
    isApplicable: (v): v is URLSearchParams => v instanceof URLSearchParams,
    serialize: (v) => v.toString(),
    deserialize: (s) => new URLSearchParams(s),
  },
  'URLSearchParams',
);
