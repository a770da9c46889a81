import { fileURLToPath } from 'node:url';
import { debuglog } from 'node:util';
import { encode } from '../../codec/encode.js';
import { collectCallbacks } from '../../codec/callback-tag.js';
import { encodeThis } from '../../codec/encode-this.js';
import { blobDirectory, discardBlobs } from '../../codec/blobs.js';
import type { Encoded } from '../../codec/tags.js';
import { ensureClassRegistered } from '../../codec/register.js';
import type { MethodMeta } from '../../targets/method-meta.js';
import { CallAbortedError } from '../../errors/call-aborted-error.js';
import { ModuleLoadError } from '../../errors/module-load-error.js';
import { resolveOptions } from '../../options/resolve.js';
import { codecState } from '../../codec/codec-state.js';
import { processDefaults } from '../../options/process-defaults.js';
import { globalState } from '../../shared/global-state.js';
import { toFileUrl } from '../../shared/module-url.js';
import { packBeside } from '../../protocol/wire-value.js';
import type { CallJob } from './call-job.js';
import { type CallTraceContext, isCallTraced, newCallContext, traceCall } from './call-tracing.js';
import { withCallerFrames } from './caller-frames.js';
import { childCommand } from '../children/child-command.js';
import { MethodPool } from '../pool/method-pool.js';
import { targetRefOf } from './target-ids.js';
import type { StreamSink } from './stream-sink.js';

interface MethodRuntime {
  readonly defaultsVersion: number;
  readonly module: string;
  readonly pool: MethodPool;
  /** Whether the pool's label names the class (`warmUp()` of a standard-decorated instance method can't know it yet). */
  readonly owned: boolean;
}

const runtimes = new WeakMap<MethodMeta, MethodRuntime>();
const debug = debuglog('isolated-call');

/**
 * A call of an isolated method in the parent: encode `this` and the
 * arguments (failing before any child starts), then hand the call to the
 * method's pool.
 */
export function invoke(meta: MethodMeta, self: unknown, args: unknown[], stream?: StreamSink): Promise<unknown> {
  const startedAt = performance.now();
  let prepared: PreparedCall;
  try {
    prepared = prepare(meta, self);
  } catch (error) {
    // Before the target is known (no instance as `this`, no module): nothing to trace.
    return Promise.reject(error);
  }
  if (!isCallTraced()) return send(prepared, self, args, startedAt, undefined, stream);
  const context = newCallContext(prepared.label);
  return traceCall(context, () => send(prepared, self, args, startedAt, context, stream));
}

interface PreparedCall {
  readonly meta: MethodMeta;
  readonly runtime: MethodRuntime;
  readonly ownerId: string;
  readonly label: string;
}

/** Which pool runs the call and under which name the child finds the target. */
function prepare(meta: MethodMeta, self: unknown): PreparedCall {
  const owner = ownerOf(meta, self);
  const runtime = runtimeFor(meta, owner?.name);
  const { options } = runtime.pool;
  const ownerId = owner
    ? (options.id ?? codecState().registry.classRegistry.getIdentifier(owner as never) ?? owner.name)
    : (options.id ?? meta.name);
  if (owner) ensureClassRegistered(owner, ownerId);
  const label = meta.kind === 'function' ? ownerId : `${ownerId}.${meta.name}`;
  return { meta, runtime, ownerId, label };
}

/** Encodes `this` and the arguments and hands the call to its pool. Never throws: a failure is a rejection. */
function send(
  prepared: PreparedCall,
  self: unknown,
  args: unknown[],
  startedAt: number,
  trace: CallTraceContext | undefined,
  stream: StreamSink | undefined,
): Promise<unknown> {
  const { meta, runtime, ownerId, label } = prepared;
  try {
    const { options } = runtime.pool;
    const { runner } = options;
    const signals: AbortSignal[] = [];
    // A runner on another machine can't read this one's blob files, nor call back into this process.
    const blobDir = runner?.inline ? undefined : blobDirectory();
    const callbacks = runner ? undefined : collectCallbacks();
    let encodedArgs = encode(args, 'args', { signals, blobDir, ...(callbacks ? { callbacks } : {}) });
    let encodedSelf: Encoded | undefined;
    try {
      encodedArgs = packBeside(encodedArgs, blobDir);
      const aborted = signals.find((s) => s.aborted);
      if (aborted) throw new CallAbortedError(label, aborted.reason, undefined);
      if (meta.kind === 'instance') {
        const encoded = encodeThis(self as object, options.sendThis, ownerId, blobDir);
        encodedSelf = encoded.encoded;
        if (encoded.leftBehind.length > 0) {
          debug('%s: left in the parent, an error if the method reads them: %s', label, encoded.leftBehind.join(', '));
        }
      }
    } catch (error) {
      discardBlobs(encodedArgs.f);
      throw error;
    }

    const target = targetRefOf(meta, runtime.module, ownerId);
    const job: CallJob = {
      label,
      target,
      self: encodedSelf,
      args: encodedArgs,
      signals,
      ...(callbacks && callbacks.fns.length > 0 ? { callbacks } : {}),
      startedAt,
      trace,
      stream,
    };
    // Errors raised in timers, exit handlers or the child get the caller's frames (only when the call fails).
    if (runner) return withCallerFrames(runner.run(runner.inline ? { ...job, inline: true } : job, options));
    return withCallerFrames(runtime.pool.run(job));
  } catch (error) {
    if (trace) trace.totalMs = performance.now() - startedAt;
    return Promise.reject(error);
  }
}

function ownerOf(meta: MethodMeta, self: unknown): Function | undefined {
  if (meta.kind === 'function') return undefined;
  if (meta.kind === 'static') return typeof self === 'function' ? self : meta.owner;
  const ctor = typeof self === 'object' && self !== null ? (self as { constructor?: unknown }).constructor : undefined;
  if (typeof ctor !== 'function') {
    throw new TypeError(`Isolated method ${meta.name} was called without an instance as \`this\`; call it as instance.${meta.name}(...)`);
  }
  return ctor;
}

function runtimeFor(meta: MethodMeta, ownerName: string | undefined): MethodRuntime {
  const state = processDefaults();
  const cached = runtimes.get(meta);
  if (cached && cached.defaultsVersion === state.defaultsVersion && cached.pool.open && (cached.owned || !ownerName)) return cached;

  const options = resolveOptions(state.defaults, meta.options);
  const label = ownerName ? `${options.id ?? ownerName}.${meta.name}` : (options.id ?? meta.name);
  const module = options.module !== undefined ? toFileUrl(options.module) : meta.detectedModule;
  if (module === undefined) {
    throw new ModuleLoadError(
      '',
      `Could not tell which module defines ${label}. Pass the module option: @Isolated({ module: import.meta.url }) or __filename.`,
    );
  }
  warnIfMainScript(module, label, meta.kind);
  const command = childCommand(options, module);
  // After configure() the pool carries on with the new options; after shutdown() it starts afresh.
  const pool = cached?.pool.open ? cached.pool.reconfigure(label, options, command) : new MethodPool(label, options, command);
  const runtime: MethodRuntime = { defaultsVersion: state.defaultsVersion, module, pool, owned: ownerName !== undefined };
  runtimes.set(meta, runtime);
  return runtime;
}

/** The pool of a decorated function, creating it if needed (for `warmUp`). */
export function poolOf(meta: MethodMeta, ownerName: string | undefined): MethodPool {
  return runtimeFor(meta, ownerName).pool;
}

const warned = new Set<string>();

/** The child imports the module: if that's the main script, its top-level code runs again there. */
function warnIfMainScript(module: string, label: string, kind: MethodMeta['kind']): void {
  const main = process.argv[1];
  // A bundled app is its main script; one that asked isIsolatedChild() guards its start-up
  // (the child checks it did: child/unguarded-entry.ts).
  if (!main || warned.has(module) || globalState().guardAsked) return;
  let modulePath: string;
  try {
    modulePath = fileURLToPath(module);
  } catch {
    return;
  }
  if (modulePath === main || modulePath.replace(/\.[cm]?[jt]s$/, '') === main) {
    warned.add(module);
    process.emitWarning(
      kind === 'function'
        ? `isolate() function ${label} is defined in the main script (${modulePath}). The child imports that module to find the ` +
            `function, so its top-level code runs again in the child. ` +
            'Move the isolate() call to a module of its own, or guard top-level work: if (!isIsolatedChild()) main();'
        : `${label} is defined in the main script (${modulePath}). The child imports that module to find the method, so its ` +
            `top-level code runs again in the child. ` +
            'Move the class to a module of its own, or guard top-level work: if (!isIsolatedChild()) main();',
      { code: 'ISOLATED_CALL_MAIN_MODULE' },
    );
  }
}
