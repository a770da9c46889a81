/**
 * Process-wide state, one per process whichever copy of the SDK reads it.
 *
 * A process can hold two copies of this package at once: the child entry is a
 * CommonJS bundle, while the user's module may import the ESM build (and a
 * parent may mix `require` and `import`). State kept in module scope would
 * split in two, so it lives on `globalThis` under a `Symbol.for` key that
 * every copy agrees on. Each module that owns a piece of that state declares
 * its slot here by name and types it itself, so this file names no layer above it.
 */

// The version changes with the state's shape: a copy of another version in the same process keeps its own.
const STATE_KEY = Symbol.for('isolated-call.state.v4');

type Slots = Record<string, object>;
type StateHolder = { [STATE_KEY]?: Slots };

/**
 * The accessor of the process-wide slot `name`, made by `init` on first use.
 * Two slots must never share a name (each is declared once, by its owner).
 */
export function globalSlot<T extends object>(name: string, init: () => T): () => T {
  return () => {
    const slots = ((globalThis as StateHolder)[STATE_KEY] ??= Object.create(null) as Slots);
    return (slots[name] ??= init()) as T;
  };
}
