import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * One place that turns the ways a module can be named (an absolute POSIX or
 * Windows path, a `file:` URL string or URL object) into the two forms the SDK
 * uses: the `file:` URL the child imports, and the path `require` and the file
 * system want. Everything else (relative paths, `http:` URLs) is left for the
 * caller to reject, so each can word its own message.
 */

const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

/** Is this an absolute path (POSIX `/…`, Windows `C:\…`, UNC `\\…`) or a `file:` URL? */
export function isAbsolutePathOrFileUrl(value: string | URL): boolean {
  const text = value instanceof URL ? value.href : value;
  return text.startsWith('file:') || isAbsolutePath(text);
}

/** Is this an absolute file-system path, on either platform? */
export function isAbsolutePath(text: string): boolean {
  return text.startsWith('/') || WINDOWS_ABSOLUTE.test(text) || text.startsWith('\\\\');
}

/** The `file:` URL of an absolute path; a `file:` URL (string or URL) is returned as its href. */
export function toFileUrl(pathOrUrl: string | URL): string {
  if (pathOrUrl instanceof URL) return pathOrUrl.href;
  return pathOrUrl.startsWith('file:') ? pathOrUrl : pathToFileURL(pathOrUrl).href;
}

/** The file-system path of a `file:` URL (string or URL); a path is returned unchanged. */
export function toPath(urlOrPath: string | URL): string {
  if (urlOrPath instanceof URL) return fileURLToPath(urlOrPath);
  return urlOrPath.startsWith('file:') ? fileURLToPath(urlOrPath) : urlOrPath;
}

/**
 * The `file:` URL of a stack frame's file name, or undefined when the frame
 * isn't a file (`node:internal/…`, `evalmachine.<anonymous>`, a relative name).
 */
export function fileUrlOfFrame(fileName: string): string | undefined {
  if (fileName.startsWith('file:')) return fileName;
  return isAbsolutePath(fileName) ? pathToFileURL(fileName).href : undefined;
}
