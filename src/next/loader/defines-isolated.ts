/**
 * Whether a module's source defines isolated code: it imports `isolate` or
 * `Isolated` from isolated-call (by any local name, or the namespace) and
 * calls it. A module that only calls isolated functions, or asks
 * `isModuleLoaded()`, is left to the bundler.
 */
export function definesIsolatedCode(source: string): boolean {
  if (!source.includes('isolated-call')) return false;
  const locals: string[] = [];
  for (const match of source.matchAll(/import\s+(?:type\s+)?([^;]*?)\s+from\s*['"]isolated-call['"]/g)) {
    const clause = match[1]!;
    if (/^type\s/.test(match[0].slice(6).trim())) continue;
    const namespace = /\*\s*as\s+([\w$]+)/.exec(clause);
    if (namespace) locals.push(`${namespace[1]}.isolate`, `${namespace[1]}.Isolated`);
    const named = /\{([^}]*)\}/.exec(clause);
    for (const part of named?.[1]?.split(',') ?? []) {
      const [imported, local] = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/);
      if (imported === 'isolate' || imported === 'Isolated') locals.push((local ?? imported)!.trim());
    }
  }
  for (const match of source.matchAll(/(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\(\s*['"]isolated-call['"]\s*\)/g)) {
    for (const part of match[1]!.split(',')) {
      const [imported, local] = part.trim().split(/\s*:\s*/);
      if (imported === 'isolate' || imported === 'Isolated') locals.push((local ?? imported)!.trim());
    }
  }
  return locals.some((local) => new RegExp(`(?:^|[^\\w$.])@?${local.replace(/[.$]/g, '\\$&')}\\s*\\(`).test(source));
}

/** A 'use server' or 'use client' module: Next compiles those its own way, and they stay its to compile. */
export function hasNextDirective(source: string): boolean {
  return /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:(['"])use strict\1;?\s*)?(['"])use (?:server|client)\2/.test(source);
}
