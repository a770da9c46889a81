/**
 * Builds readable paths (`args[0].items[3].owner`) for error messages only:
 * the codec keeps a stack of keys and joins it when something fails, so a
 * successful encode never pays for string building.
 */
export type PathKey = string | number | { readonly label: string };

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function formatPath(root: string, keys: readonly PathKey[]): string {
  let out = root;
  for (const key of keys) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string') out += IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    else out += `[${key.label}]`;
  }
  return out;
}
