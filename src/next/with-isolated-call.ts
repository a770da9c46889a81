import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The parts of Next.js's config this wrapper reads or extends. Typed here
 * rather than imported from `next`, an optional peer the SDK never loads.
 */
interface NextConfigLike {
  distDir?: string;
  serverExternalPackages?: string[];
  turbopack?: { rules?: Record<string, unknown> };
  // biome-ignore lint/suspicious/noExplicitAny: Next's webpack hook takes webpack's own types
  webpack?: ((config: any, context: any) => any) | null;
}

/** What next.config may export: a config object, or a function of the phase that returns one. */
export type NextConfigInput<C extends object> = C | ((phase: string, context: { defaultConfig: C }) => C | Promise<C>);

/** The webpack loader that gives isolated modules to the server from a build a child can load (src/next/loader). */
const loaderPath = fileURLToPath(new URL('./next-loader.cjs', import.meta.url));

const EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];

/**
 * Makes app-local `isolate()` functions and `@Isolated()` methods work in a
 * Next.js app (route handlers, server actions, server components), with
 * Turbopack and with webpack, in `next dev` and `next build`:
 *
 * ```ts
 * // next.config.ts
 * import { withIsolatedCall } from 'isolated-call/next';
 * export default withIsolatedCall(nextConfig);
 * ```
 *
 * It adds a loader for the server's own modules that import isolated-call
 * and define isolated code: such a module is compiled (with Next's own SWC)
 * into plain CommonJS files, with the app-local modules it imports, and the
 * server loads those files instead of bundling the module, so a child can
 * load the same files. isolated-call is added to `serverExternalPackages`.
 */
export function withIsolatedCall<C extends object>(
  config: NextConfigInput<C> = {} as C,
): (phase: string, context: { defaultConfig: C }) => Promise<C> {
  return async (phase, context) => {
    const resolved = typeof config === 'function' ? await config(phase, context) : config;
    return addIsolatedCall(resolved as NextConfigLike) as C;
  };
}

function addIsolatedCall(config: NextConfigLike): NextConfigLike {
  const distDir = config.distDir ?? '.next';
  const projectDir = process.cwd();
  const options = { outDir: join(resolve(projectDir, distDir), 'isolated-call'), projectDir };
  const loader = { loader: loaderPath, options };
  const external = new Set([...(config.serverExternalPackages ?? []), 'isolated-call']);

  const rules: Record<string, unknown> = { ...(config.turbopack?.rules ?? {}) };
  const rule = {
    // Server code of the app itself that mentions the SDK; the loader checks the rest. Next 15's Turbopack
    // has no conditions: the loader then sees every file of these types and passes the others through.
    ...(nextMajor(projectDir) >= 16
      ? { condition: { all: [{ not: 'foreign' }, { not: 'browser' }, { not: 'edge-light' }, { content: /isolated-call/ }] } }
      : {}),
    loaders: [loader],
  };
  for (const extension of EXTENSIONS) {
    const key = `*.${extension}`;
    const existing = rules[key];
    rules[key] = existing === undefined ? rule : [...(Array.isArray(existing) ? existing : [existing]), rule];
  }

  const userWebpack = config.webpack;
  return {
    ...config,
    serverExternalPackages: [...external],
    turbopack: { ...config.turbopack, rules },
    // biome-ignore lint/suspicious/noExplicitAny: webpack's own types
    webpack(webpackConfig: any, context: any) {
      if (context?.isServer && context.nextRuntime !== 'edge') {
        webpackConfig.module ??= {};
        webpackConfig.module.rules ??= [];
        // Pushed last, so it runs first (webpack runs a module's loaders last to first), on the source as written.
        webpackConfig.module.rules.push({ test: /\.(?:[cm]?tsx?|[cm]?jsx?)$/, exclude: /[\\/]node_modules[\\/]/, use: [loader] });
      }
      return userWebpack ? userWebpack(webpackConfig, context) : webpackConfig;
    },
  };
}

/** The major version of the app's `next`, or 16 when it can't be read. */
function nextMajor(projectDir: string): number {
  try {
    const { version } = createRequire(join(projectDir, 'package.json'))('next/package.json') as { version?: unknown };
    const major = Number.parseInt(String(version), 10);
    return Number.isNaN(major) ? 16 : major;
  } catch {
    return 16;
  }
}
