/**
 * Strings to and from blob files through one small scratch buffer, never a
 * buffer the size of the string. A 2 MB Buffer per string is a malloc block
 * under glibc's (dynamically raised) mmap threshold: a hundred of them, freed
 * in whatever order the garbage collector finds them, leave the heap
 * fragmented and the process's RSS up by the whole payload for good. Chunks
 * through a buffer kept for the process's life, joined into a V8 string,
 * leave nothing behind.
 */
import { readSync, writeSync } from '../shared/node-fs.js';

/** Bytes per chunk: an even number, so no UTF-16 code unit is split between chunks. */
const CHUNK_BYTES = 256 * 1024;
let scratch: Buffer | undefined;

function scratchBuffer(): Buffer {
  scratch ??= Buffer.allocUnsafeSlow(CHUNK_BYTES);
  return scratch;
}

/** Writes `text` as UTF-16LE at the descriptor's current position. */
export function writeStringFile(fd: number, text: string): void {
  const buffer = scratchBuffer();
  const chars = CHUNK_BYTES / 2;
  for (let at = 0; at < text.length; at += chars) {
    const bytes = buffer.write(text.slice(at, at + chars), 0, 'utf16le');
    for (let done = 0; done < bytes; ) done += writeSync(fd, buffer, done, bytes - done);
  }
}

/**
 * Reads `size` bytes of UTF-16LE from offset 0 of `fd` into a string. An odd
 * last byte is dropped, as Buffer#toString does.
 *
 * @throws Error when the file ends before `size` bytes.
 */
export function readStringFile(fd: number, size: number): string {
  const buffer = scratchBuffer();
  const parts: string[] = [];
  for (let at = 0; at < size; ) {
    const want = Math.min(CHUNK_BYTES, size - at);
    let filled = 0;
    while (filled < want) {
      const n = readSync(fd, buffer, filled, want - filled, at + filled);
      if (n === 0) throw new Error(`it ended after ${at + filled} of ${size} bytes`);
      filled += n;
    }
    parts.push(buffer.toString('utf16le', 0, filled));
    at += filled;
  }
  return parts.join('');
}
