/**
 * What the SDK reads of a superjson instance (`new SuperJSON()` from the
 * `superjson` package, version 2): its three registries. Structural, so the
 * SDK doesn't depend on your copy of superjson.
 */
export interface SuperJSONLike {
  readonly classRegistry: {
    // biome-ignore lint/suspicious/noExplicitAny: superjson's registries take its own Class type
    getIdentifier(value: any): string | undefined;
    getValue(identifier: string): unknown;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    getAllowedProps(value: any): string[] | undefined;
  };
  readonly symbolRegistry: {
    // biome-ignore lint/suspicious/noExplicitAny: as above
    getIdentifier(value: any): string | undefined;
    getValue(identifier: string): unknown;
  };
  readonly customTransformerRegistry: {
    findApplicable(value: unknown): unknown;
    findByName(name: string): unknown;
  };
}

/** The `superjson` option of `configure()`: an instance, the `SuperJSON` class (its default instance), or `null` to remove it. */
export type SuperJSONOption = SuperJSONLike | (abstract new (...args: never[]) => SuperJSONLike) | null;
