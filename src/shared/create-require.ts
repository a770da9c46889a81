import * as nodeModule from 'node:module';

/**
 * `module.createRequire`, taken where a bundler doesn't rewrite it. webpack
 * turns every `createRequire(x)` whose `x` it can't read at build time (a
 * path known only at run time, as all of the SDK's are) into
 * `undefined(x)`, so an app that bundles the SDK with webpack would die at
 * start-up. `process.getBuiltinModule` (Node 20.16, 22.3) is opaque to it;
 * older Nodes take the import, which webpack leaves alone when it isn't called
 * by that name.
 */
export const createRequire: typeof nodeModule.createRequire =
  (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:module') !== undefined
    ? (process as { getBuiltinModule: (id: string) => typeof nodeModule }).getBuiltinModule('node:module').createRequire
    : nodeModule.createRequire;
