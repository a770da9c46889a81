import { createRequire } from '../../shared/create-require.js';
import { fileURLToPath } from 'node:url';
import { decode } from '../../codec/decode.js';
import { replyBlobReader } from '../../codec/blobs.js';
import type { Encoded } from '../../codec/tags.js';
import type { RunnerCall } from '../../contracts/runner.js';
import { IsolatedCallError } from '../../errors/isolated-call-error.js';
import { ModuleLoadError } from '../../errors/module-load-error.js';
import { ProtocolError } from '../../errors/protocol-error.js';
import { SerializationError } from '../../errors/serialization-error.js';
import { isLoadedByNode } from '../../measure/is-module-loaded.js';
import { ownUrl } from '../../shared/sdk-location.js';
import { esmImport } from '../../shared/esm-import.js';
import { markRethrown } from './caller-frames.js';
import type { ChildReply } from './pending-replies.js';

/** What the parent's decoder needs: a value only a broken or subverted child sends is a ProtocolError. */
export function parentSide(pid: number | undefined) {
  return {
    side: 'the parent',
    malformed: (path: string, reason: string) =>
      new ProtocolError(
        `The child (pid ${pid}) sent a value its codec never produces, at ${path}: ${reason}. ` +
          'The child may have been subverted by the data it processed, or two versions of isolated-call are installed.',
        { pid },
      ),
  } as const;
}

/**
 * Turns the child's reply (validated by parseChildMessage) into the call's
 * value, or throws what the call should reject with. The tree inside it is
 * still the child's: a large part is read only through replyBlobReader, and
 * a tree the decoder trips over becomes a ProtocolError, never a raw TypeError.
 */
export async function interpretReply(reply: ChildReply, job: RunnerCall, pid: number | undefined): Promise<unknown> {
  if (reply.type === 'result') {
    if (!reply.value.t && !reply.value.p) return reply.value.v; // plain data: nothing to rebuild (the common, warm case)
    try {
      return decode(reply.value, 'result', { ...parentSide(pid), readBlob: replyBlobReader(reply.value, pid) });
    } catch (error) {
      throw asCallError(error, pid);
    }
  }

  const encoded = reply.error;
  // Any tagged value may hold a user error class, also below a built-in top
  // (a cause, AggregateError.errors, a thrown object's field).
  const exports = reply.phase === 'run' && encoded.t ? await loadedExports(job.target.module) : undefined;
  const findErrorClass = exports ? (name: string) => pickFunction(exports, name) : undefined;
  let thrown: unknown;
  try {
    thrown = decode(encoded, 'error', { ...parentSide(pid), findErrorClass, errorBounds: true });
  } catch (error) {
    thrown = asCallError(error, pid); // decode already fell back as far as it could; keep what it says
  }
  switch (reply.phase) {
    case 'load':
      throw new ModuleLoadError(
        job.target.module,
        `The child (pid ${pid}) could not load ${job.label} from ${job.target.module}: ${messageOf(thrown)}${loadHint(thrown, job.label)}`,
        { cause: thrown, pid },
      );
    case 'decode':
    case 'encode':
      throw new SerializationError(reply.path ?? (reply.phase === 'decode' ? 'args' : 'result'), reply.reason ?? messageOf(thrown), {
        cause: thrown,
        pid,
      });
    default:
      // Its stack, the throw site in the child, gets the caller's frames once the call settles (caller-frames.ts).
      throw markRethrown(thrown);
  }
}

/**
 * A value a streamed call yielded (a `stream-items` entry, validated by
 * parseChildMessage), decoded like a result: its large parts are read only
 * through replyBlobReader, and a tree the decoder trips over is a ProtocolError.
 */
export function decodeYielded(encoded: Encoded, index: number, pid: number | undefined): unknown {
  if (!encoded.t && !encoded.p) return encoded.v;
  try {
    return decode(encoded, `yield[${index}]`, { ...parentSide(pid), readBlob: replyBlobReader(encoded, pid) });
  } catch (error) {
    throw asCallError(error, pid);
  }
}

const exportsCache = new Map<string, Record<string, unknown> | undefined>();
const requireFromHere = createRequire(ownUrl);

/**
 * The exports of the module that defines the method, if this process has
 * already loaded it: never loads anything new (the parent must not import a
 * heavy dependency just to rebuild an error). CommonJS modules are read from
 * require.cache; an ES module is imported only if Node has already parsed it
 * (the `module` option may name a file the parent never loaded, such as the
 * real implementation behind a bundle) as an ES module, so import() returns
 * the instance already evaluated (one still evaluating is given up on). That
 * check opens an inspector session, once per module and only when an error
 * needs it. A module that a test runner evaluated itself (vitest's module
 * runner parses it as a script) is not Node's: import() would evaluate a
 * second copy, so it isn't imported; there, register error classes instead
 * (registerClass or the classes option).
 */
async function loadedExports(moduleUrl: string): Promise<Record<string, unknown> | undefined> {
  if (exportsCache.has(moduleUrl)) return exportsCache.get(moduleUrl);
  let exports: Record<string, unknown> | undefined;
  try {
    const path = fileURLToPath(moduleUrl);
    const cached = requireFromHere.cache[path];
    if (cached) exports = cached.exports as Record<string, unknown>;
    else if (isLoadedByNode(moduleUrl)) {
      exports = await importEvaluated(moduleUrl);
      if (exports === undefined) return undefined; // still evaluating: it may be done by the next error
    }
  } catch {
    exports = undefined;
  }
  exportsCache.set(moduleUrl, exports);
  return exports;
}

/** How long import() of a module Node has parsed may take before the module is taken as still evaluating. */
const EVALUATED_IMPORT_WAIT_MS = 1000;

/**
 * The module's exports, or undefined when import() doesn't settle in time.
 * A module still evaluating never does while its top-level await waits on
 * this very call (an ES module that calls its own isolated function at top
 * level): waiting for it would deadlock the call, and with it the module.
 */
async function importEvaluated(moduleUrl: string): Promise<Record<string, unknown> | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, EVALUATED_IMPORT_WAIT_MS, undefined);
  });
  const imported = esmImport(moduleUrl);
  imported.catch(() => {}); // given up on, it may still reject later (the module's evaluation failed): nobody waits for it
  try {
    return await Promise.race([imported, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

function pickFunction(exports: Record<string, unknown>, name: string): Function | undefined {
  const direct = exports[name];
  if (typeof direct === 'function') return direct;
  const fallback = (exports.default as Record<string, unknown> | undefined)?.[name];
  return typeof fallback === 'function' ? fallback : undefined;
}

/** What to do about an import that failed; the class/method lookups already say it. */
function loadHint(thrown: unknown, label: string): string {
  const code = (thrown as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return (
      `. Check that the module option (or the detected module) is the file that defines ${label}, and that its dependencies ` +
      `resolve from there.`
    );
  }
  return '';
}

/** The SDK's own errors pass; anything else the decoder threw means the child sent a tree it can't have encoded. */
function asCallError(error: unknown, pid: number | undefined): unknown {
  if (error instanceof IsolatedCallError) return error;
  return new ProtocolError(
    `The child (pid ${pid}) sent a reply that can't be decoded (${messageOf(error)}): the codec never produces it. ` +
      'The child may have been subverted by the data it processed, or two versions of isolated-call are installed.',
    { cause: error, pid },
  );
}

function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
