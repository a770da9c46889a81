import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

// superjson (and its helpers) are ESM-only. Bundling them gives the CommonJS
// build a copy it can require() on every Node 20 release (require(esm) only
// exists from 20.19) and lets a forked child load one file instead of a tree
// of ES modules, which measurably slows every fresh child's start-up.
const noExternal = ['superjson', 'copy-anything', 'is-what'];

// src/shared/sdk-location.ts reads import.meta knowing it is empty in CommonJS
// (it falls back to the stack): esbuild's warning about that says nothing new.
const quietImportMeta = { 'empty-import-meta': 'silent' } as const;

// The entries load import() from a file of their own (src/shared/esm-import.ts
// says why): each format's copy of it, beside them in dist/.
const esmImportOwnFile: Plugin = {
  name: 'esm-import-own-file',
  setup(build) {
    const file = build.initialOptions.format === 'esm' ? './esm-import.js' : './esm-import.cjs';
    build.onResolve({ filter: /[\\/]esm-import\.js$/ }, (args) =>
      args.kind === 'entry-point' ? undefined : { path: file, external: true },
    );
  },
};

export default defineConfig([
  {
    // bullmq: the isolated-call/bullmq subpath; bullmq itself stays external (a peer dependency).
    entry: {
      index: 'src/index.ts',
      bullmq: 'src/bullmq/index.ts',
      next: 'src/next/index.ts',
      'esm-import': 'src/shared/esm-import.ts',
    },
    format: ['esm', 'cjs'],
    // Each entry one file, as the CommonJS build is: dist/index.js stays what it was
    // without the subpath, and the two copies share their state through globalThis.
    splitting: false,
    dts: true,
    clean: true,
    shims: true,
    target: 'node20',
    platform: 'node',
    noExternal,
    sourcemap: false,
    esbuildPlugins: [esmImportOwnFile],
    esbuildOptions(options) {
      options.logOverride = { ...options.logOverride, ...quietImportMeta };
    },
  },
  {
    // The child entry is a separate, self-contained CommonJS file: the cheapest
    // thing Node can start, found by the parent next to its own build output.
    entry: {
      // child.cjs runs child-build.cjs with V8's code cache (src/child/code-cache/process-entry.ts).
      child: 'src/child/code-cache/process-entry.ts',
      'child-build': 'src/child/build-entry.ts',
      'typescript-hook': 'src/child/typescript-require-hook.ts',
      'ts-loader': 'src/child/ts-loader/preload.ts',
      // The isolated-call-worker bin: one CommonJS file, bullmq external.
      'worker-bin': 'src/bullmq/bin.ts',
      // The webpack/Turbopack loader of isolated-call/next: loaders are CommonJS.
      'next-loader': 'src/next/loader/index.ts',
      // The isolated-call bin (`isolated-call cost`, src/cost/): never loaded by the SDK's entries.
      cli: 'src/cost/bin.ts',
    },
    format: ['cjs'],
    dts: false,
    clean: false,
    shims: true,
    target: 'node20',
    platform: 'node',
    noExternal,
    sourcemap: false,
    esbuildOptions(options) {
      options.logOverride = { ...options.logOverride, ...quietImportMeta };
    },
  },

  {
    // The module hooks of the child's TypeScript loader: Node's hooks thread imports them as ESM.
    // child-api: the child's API for ES modules, a facade of dist/child.cjs (src/child/esm-api.ts).
    // cost-child: the measuring child of `isolated-call cost`, an ES module for import.meta.resolve.
    entry: { 'ts-hooks': 'src/child/ts-loader/hooks.ts', 'child-api': 'src/child/esm-api.ts', 'cost-child': 'src/cost/measure-child.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    dts: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    sourcemap: false,
  },
]);
