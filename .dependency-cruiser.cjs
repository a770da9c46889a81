// The layers of src/, lowest first; `npm run lint` enforces them (docs/how-it-works.md, "Layers").
// A folder imports only its own layer and the layers below it, type imports
// included. parent/ and child/ share a layer and never import each other.
const layers = [
  ['contracts'], // public plug-in types, types only
  ['errors', 'shared'], // one class per failure; process-wide slots, paths, URLs, checks
  ['codec', 'measure'], // values across the boundary; memory readings, module checks
  ['protocol'], // the messages and the one gate for what a child sends
  ['options'], // the option table, configure()
  ['targets'], // what the decorators recorded, read by both processes
  ['parent', 'child'], // the calling process; the child process
  ['decorator'], // @Isolated(), isolate(): wrap a method with a child call
];

// The entries, above every layer: the main entry, the child's build entry and
// public API, and the plug-ins, each its own build entry.
const entries = ['src/index\\.ts$', 'src/is-isolated-child\\.ts$', 'src/child/(build-entry|child-api|esm-api)\\.ts$'];
const plugins = ['bullmq', 'next', 'cost'];

// What isolated-call/bullmq may use of parent/: a fleet worker runs its jobs
// through a method pool, and its runner settles calls as the parent does.
const bullmqParentModules = [
  'calls/call-job',
  'calls/caller-frames',
  'children/child-command',
  'pool/method-pool',
  'calls/pending-call',
  'calls/pending-replies',
  'calls/read-reply',
];

const folder = (names) => `^src/(${names.join('|')})/`;
const entry = `^(${entries.join('|')})`;

const layerRules = layers.slice(0, -1).map((names, i) => ({
  name: `layer-${names.join('-')}`,
  comment: `${names.join(', ')} must not import a higher layer: ${layers
    .slice(i + 1)
    .flat()
    .join(', ')}, nor an entry`,
  severity: 'error',
  from: { path: folder(names), pathNot: entry },
  to: { path: [folder(layers.slice(i + 1).flat()), entry, folder(plugins)] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type imports included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'layer-decorator',
      comment: 'decorator must not import an entry or a plug-in',
      severity: 'error',
      from: { path: folder(['decorator']) },
      to: { path: [entry, folder(plugins)] },
    },
    {
      name: 'parent-not-child',
      comment: 'parent/ and child/ are siblings: the parent never imports the child',
      severity: 'error',
      from: { path: folder(['parent']) },
      to: { path: folder(['child']) },
    },
    {
      name: 'child-not-parent',
      comment: 'parent/ and child/ are siblings: the child (its entries included) never imports the parent',
      severity: 'error',
      from: { path: folder(['child']) },
      to: { path: folder(['parent']) },
    },
    ...plugins.map((name) => ({
      name: `only-${name}-imports-${name}`,
      comment: `${name}/ is its own build entry: the main entry (and everything else) never loads it`,
      severity: 'error',
      from: { pathNot: folder([name]) },
      to: { path: folder([name]) },
    })),
    {
      name: 'bullmq-parent-surface',
      comment: `bullmq/ uses only these modules of parent/: ${bullmqParentModules.join(', ')}`,
      severity: 'error',
      from: { path: folder(['bullmq']) },
      to: { path: '^src/parent/', pathNot: `^src/parent/(${bullmqParentModules.join('|')})\\.ts$` },
    },
    {
      name: 'contracts-types-only',
      comment: 'contracts/ holds types only: import it with `import type`',
      severity: 'error',
      from: {},
      to: { path: folder(['contracts']), dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    // Type imports count: `import type` is an edge like any other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^src/',
    // Tests sit beside the code and may reach across layers to set things up.
    exclude: { path: '\\.test\\.ts$|\\.test-helper\\.ts$' },
  },
};
