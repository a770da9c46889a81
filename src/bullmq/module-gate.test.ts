import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { admitModule } from './module-gate.js';

let scratch: string;
let root: string;
let shared: string;

const uses = "import { Isolated } from 'isolated-call';\nexport class A { @Isolated() async run() {} }\n";

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'isolated-call-gate-'));
  root = join(scratch, 'root');
  shared = join(scratch, 'shared');
  const files: Record<string, string> = {
    'root/app.js': uses,
    'root/app.ts': uses,
    'root/generic.ts': "import { isolate } from 'isolated-call';\nexport const f = isolate<Job<Page>>(async (job) => job);\n",
    // What compilers make of the decorator and of isolate().
    'root/tsc.cjs':
      'const isolated_call_1 = require("isolated-call");\n__decorate([(0, isolated_call_1.Isolated)()], A.prototype, "run");\n',
    'root/babel.cjs': 'var _ic = require("isolated-call");\nconst f = (0, _ic.isolate) (async () => 1);\n',
    // A minified bundle that holds the SDK: its own keys and messages survive.
    'root/bundle.min.js':
      'var a=Symbol.for("isolated-call.state.v4");function b(c){throw new Error("isolate() takes the async function")}\n',
    'root/config.js': "import { configure } from 'isolated-call';\nconfigure({ timeout: 1 });\n",
    'root/plain.js': 'export function run() {}\n',
    'root/data.json': uses,
    'root/addon.node': uses,
    'root/node_modules/dep/index.js': uses,
    'root/vendor/node_modules/dep/index.js': uses,
    'shared/lib.js': uses,
    'shared/node_modules/dep/index.js': uses,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(scratch, path, '..'), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }
  symlinkSync(shared, join(root, 'linked'), 'dir');
  symlinkSync(join(root, 'node_modules/dep/index.js'), join(root, 'dep-link.js'));
  symlinkSync(join(root, 'addon.node'), join(root, 'addon-link.js'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('which modules a job may name (decided before any of their code runs)', () => {
  test.each(['app.js', 'app.ts', 'generic.ts', 'tsc.cjs', 'babel.cjs', 'bundle.min.js'])('admitted: %s', async (name) => {
    expect(await admitModule(name, root, [])).toEqual({ url: pathToFileURL(join(root, name)).href });
  });

  test.each([
    ['config.js', /defines no isolated method/],
    ['plain.js', /defines no isolated method/],
    ['data.json', /not a JavaScript or TypeScript file/],
    ['addon.node', /not a JavaScript or TypeScript file/],
    ['addon-link.js', /not a JavaScript or TypeScript file/],
    ['node_modules/dep/index.js', /node_modules/],
    ['vendor/node_modules/dep/index.js', /node_modules/],
    ['dep-link.js', /into node_modules/],
    ['linked/lib.js', /outside the root/],
    ['../shared/lib.js', /goes up/],
  ])('refused: %s', async (name, why) => {
    const admission = await admitModule(name, root, []);
    expect(admission).toHaveProperty('refused');
    expect((admission as { refused: string }).refused).toMatch(why);
  });

  test('allowLinksTo: a link may lead there, still not into its node_modules', async () => {
    expect(await admitModule('linked/lib.js', root, [shared])).toEqual({ url: pathToFileURL(join(shared, 'lib.js')).href });
    expect(await admitModule('linked/node_modules/dep/index.js', root, [shared])).toMatchObject({ refused: /node_modules/ });
  });

  test('a missing module says so (the job fails with ModuleLoadError, as before)', async () => {
    expect(await admitModule('gone.js', root, [])).toMatchObject({ missing: true });
  });

  test('a file rewritten with the same size and mtime is read again', async () => {
    const file = join(root, 'swap.js');
    writeFileSync(file, uses);
    expect(await admitModule('swap.js', root, [])).toHaveProperty('url');
    writeFileSync(file, uses.replace('Isolated()', 'Xsolated()'));
    expect(await admitModule('swap.js', root, [])).toHaveProperty('refused');
  });
});
