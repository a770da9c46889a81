/**
 * The child build's V8 code cache as it lies on disk, and how the parent
 * tells a child which one to use. Shared by the parent, which names and
 * checks a cache before any child runs it (parent/caches/code-cache.ts), and the
 * child, which reads it and writes a new one (child/code-cache/).
 *
 * A file is a header and V8's bytes: {@link MAGIC}, the SHA-256 of the
 * bytes, their length. V8's release builds don't check a code cache's
 * payload, and bytes damaged past V8's own header crash every child that
 * loads them; the checksum is how the parent knows they are the bytes a
 * child wrote.
 */

/** The command-line argument, after the child entry, that gives a child its cache: `CODE_CACHE_ARG=<json of CodeCacheOrder>`. */
export const CODE_CACHE_ARG = '--isolated-call-code-cache';

/** What the parent tells a child about the code cache. */
export interface CodeCacheOrder {
  /** The cache file: read it (when `cache` is set) and write it at exit unless that was a hit. */
  readonly file: string;
  /** The identity ({@link fileIdentity}) of dist/child-build.cjs whose content names `file`: other bytes there get no cache. */
  readonly build: string;
  /** The identity of the cache file whose checksum the parent checked; absent: there is none (yet) to read. */
  readonly cache?: string;
}

export const MAGIC = 'ICCACHE1';
/** MAGIC (8 bytes), SHA-256 (32), the payload's length (8, little endian); the payload starts 8-byte aligned. */
export const HEADER_BYTES = 48;
/** A cache larger than this is not one of ours (the child build's is about 100 KB). */
export const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/** What a file's identity is made of: any write changes ctime, which no one can set back. */
interface IdentityStats {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

/** A file's identity: the same string as long as nobody wrote to it or replaced it. */
export function fileIdentity(stats: IdentityStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

/** The header for V8's bytes `payload` whose SHA-256 is `digest`. */
export function cacheHeader(payload: Uint8Array, digest: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.set(digest.subarray(0, 32), 8);
  header.writeBigUInt64LE(BigInt(payload.length), 40);
  return header;
}

/** The payload of a cache file, or undefined when its header doesn't describe it (not ours, or cut short). */
export function cachePayload(file: Buffer): { payload: Buffer; digest: Buffer } | undefined {
  if (file.length < HEADER_BYTES || file.toString('latin1', 0, 8) !== MAGIC) return undefined;
  if (file.readBigUInt64LE(40) !== BigInt(file.length - HEADER_BYTES)) return undefined;
  return { payload: file.subarray(HEADER_BYTES), digest: file.subarray(8, 40) };
}
