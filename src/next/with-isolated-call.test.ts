import { expect, test } from 'vitest';
import { withIsolatedCall } from './with-isolated-call.js';

// Next's config is typed by next, which this package doesn't depend on: the tests read it loosely.
const context = { defaultConfig: {} } as never;

test("adds isolated-call to serverExternalPackages and the loader to Turbopack's and webpack's server builds, keeping the app's own", async () => {
  const userRule = { loaders: ['my-loader'] };
  const config: any = await withIsolatedCall({
    serverExternalPackages: ['sharp'],
    turbopack: { rules: { '*.ts': userRule }, resolveAlias: { a: 'b' } },
    webpack: (webpackConfig: { seen?: boolean }) => ({ ...webpackConfig, seen: true }),
  })('phase-production-build', context);

  expect(config.serverExternalPackages).toEqual(['sharp', 'isolated-call']);
  expect(config.turbopack?.resolveAlias).toEqual({ a: 'b' });
  const rules = config.turbopack?.rules as Record<string, unknown>;
  expect(rules['*.ts']).toEqual([
    userRule,
    expect.objectContaining({ loaders: [expect.objectContaining({ loader: expect.stringMatching(/next-loader\.cjs$/) })] }),
  ]);
  expect(rules['*.tsx']).toEqual(expect.objectContaining({ loaders: expect.any(Array) }));

  const server = config.webpack({ module: { rules: [] } }, { isServer: true, nextRuntime: 'nodejs' });
  expect(server.seen).toBe(true);
  expect(server.module.rules).toHaveLength(1);
  for (const other of [{ isServer: false }, { isServer: true, nextRuntime: 'edge' }])
    expect(config.webpack({ module: { rules: [] } }, other).module.rules).toHaveLength(0);
});

test('a config function is called with the phase, and its result wrapped', async () => {
  const phases: string[] = [];
  const config: any = await withIsolatedCall(async (phase: string) => {
    phases.push(phase);
    return { distDir: 'build' };
  })('phase-development-server', context);
  expect(phases).toEqual(['phase-development-server']);
  expect(config.distDir).toBe('build');
  expect(config.serverExternalPackages).toEqual(['isolated-call']);
});
