import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileUrlOfFrame, isAbsolutePath, isAbsolutePathOrFileUrl, toFileUrl, toPath } from './module-url.js';

describe('module-url', () => {
  it('recognises absolute paths and file URLs only', () => {
    for (const yes of ['/a/b.js', 'C:\\a\\b.js', 'c:/a/b.js', '\\\\server\\share\\b.js', 'file:///a/b.js', new URL('file:///a/b.js')]) {
      expect(isAbsolutePathOrFileUrl(yes)).toBe(true);
    }
    for (const no of ['a/b.js', './b.js', '../b.js', 'http://x/b.js', 'node:fs', '', new URL('https://x/b.js')]) {
      expect(isAbsolutePathOrFileUrl(no)).toBe(false);
    }
    expect(isAbsolutePath('file:///a')).toBe(false);
  });

  it('toFileUrl keeps URLs and converts paths, escaping what needs it', () => {
    expect(toFileUrl('file:///a/b.js')).toBe('file:///a/b.js');
    expect(toFileUrl(new URL('file:///a/b.js'))).toBe('file:///a/b.js');
    expect(toFileUrl('/a/b c#1.js')).toBe(pathToFileURL('/a/b c#1.js').href);
    expect(toFileUrl('/a/b c#1.js')).toContain('%20');
  });

  it('toPath is the inverse of toFileUrl', () => {
    for (const path of ['/a/b.js', '/a/b c#1%.js', '/tmp/ünï.ts']) {
      expect(toPath(toFileUrl(path))).toBe(path);
      expect(toPath(new URL(toFileUrl(path)))).toBe(path);
      expect(toPath(path)).toBe(path);
    }
  });

  it('fileUrlOfFrame takes only frames that are files', () => {
    expect(fileUrlOfFrame('/a/b.js')).toBe('file:///a/b.js');
    expect(fileUrlOfFrame('file:///a/b.js')).toBe('file:///a/b.js');
    expect(fileUrlOfFrame('node:internal/x')).toBeUndefined();
    expect(fileUrlOfFrame('evalmachine.<anonymous>')).toBeUndefined();
  });
});
