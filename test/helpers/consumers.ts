import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Consumer workspaces: the packed tarball installed, with today's packages
 * from npm, into a few folders that many small consumer projects share.
 *
 * A workspace is one `npm install` (its node_modules), prepared once per run;
 * its projects are subfolders, copied from test/fixtures/consumer/<name>/,
 * that find the packages by Node's usual walk up to the workspace's
 * node_modules. Which packages a workspace holds is the point of the test
 * ("a ts-node project with only ts-node installed"), so projects that must
 * not see a package live in a workspace without it.
 *
 * Workspaces live under the OS temp folder, not in the repository: inside it,
 * the walk up would reach the repository's own node_modules (tsx, vitest,
 * typescript) and hide a missing dependency. They are kept between runs (one
 * folder per checkout), so a second run only reinstalls the tarball (a few
 * seconds); set ISOLATED_CALL_CONSUMERS to put them elsewhere.
 */

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const consumerFixtures = join(root, 'test/fixtures/consumer');
/** One folder per checkout: two clones (or worktrees) testing at once must not share projects. */
export const consumersDir =
  process.env.ISOLATED_CALL_CONSUMERS ??
  join(tmpdir(), `isolated-call-consumers-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`);

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
  ms: number;
}

/** Our own runner's variables would leak into the consumer's npm, jest and vitest. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', CI: '1', ...extra };
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(VITEST|JEST|TEST$|NODE_ENV$|NODE_OPTIONS$|FORCE_COLOR$|INIT_CWD$|TS_NODE_|npm_(package|lifecycle|command|execpath)|npm_config_local_prefix$)/.test(
        key,
      )
    )
      continue;
    env[key] ??= value;
  }
  return env;
}

/** Runs a command and resolves with what it printed; never rejects on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  options: { timeout?: number; env?: Record<string, string> } = {},
): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: cleanEnv(options.env), timeout: options.timeout ?? 90_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}`, ms: Math.round(performance.now() - started) });
      },
    );
  });
}

/** Like `run`, but fails with everything the command printed when it exits non-zero. */
export async function ok(
  command: string,
  args: string[],
  cwd: string,
  options?: { timeout?: number; env?: Record<string, string> },
): Promise<Run> {
  const result = await run(command, args, cwd, options);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.code}:\n${result.output}`);
  return result;
}

/** The last line of a script's output, where the consumer scripts print their result as JSON. */
export function lastJson(stdout: string): any {
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** `npm pack`s the repository (build it first) into `dir`; returns the tarball's path. */
export async function packTarball(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const packed = await ok('npm', ['pack', '--json', '--pack-destination', dir], root);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string }[];
  return join(dir, info!.filename);
}

export interface WorkspaceSpec {
  /** Folder name under consumersDir. */
  readonly name: string;
  /** What `npm install` gets besides the tarball, as a user would type it (`typescript@5`, `ts-jest`). */
  readonly packages: readonly string[];
}

/**
 * Installs the tarball and the packages into the workspace (kept from an
 * earlier run when the package list is the same) and empties its projects.
 */
export async function prepareWorkspace(spec: WorkspaceSpec, tarball: string): Promise<string> {
  const dir = join(consumersDir, spec.name);
  const key = JSON.stringify(spec.packages);
  const keyFile = join(dir, '.packages.json');
  if (existsSync(dir) && (!existsSync(keyFile) || readFileSync(keyFile, 'utf8') !== key)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of projectsOf(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
  if (!existsSync(join(dir, 'package.json')))
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `consumers-${spec.name}`, private: true })}\n`);
  // A copy of the tarball of its own, so npm sees a path that only this run's build has been at.
  const local = join(dir, 'isolated-call.tgz');
  cpSync(tarball, local);
  await ok('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', local, ...spec.packages], dir, { timeout: 240_000 });
  writeFileSync(keyFile, key);
  return dir;
}

function projectsOf(dir: string): string[] {
  const keep = new Set(['node_modules', 'package.json', 'package-lock.json', '.packages.json', 'isolated-call.tgz']);
  return readdirSync(dir).filter((entry) => !keep.has(entry));
}

/** Copies test/fixtures/consumer/<fixture> (and any `extra` files, as [from fixture path, to name]) into the workspace as a project. */
export function addProject(workspace: string, name: string, fixture: string | undefined, extra: [string, string][] = []): string {
  const dir = join(workspace, name);
  mkdirSync(dir, { recursive: true });
  if (fixture) cpSync(join(consumerFixtures, fixture), dir, { recursive: true });
  for (const [from, to] of extra) cpSync(join(consumerFixtures, from), join(dir, to));
  return dir;
}

/** The fenced code blocks of a markdown section (from its heading to the next heading of the same or a higher level). */
export function codeBlocks(markdownFile: string, heading: string): { lang: string; code: string }[] {
  const text = readFileSync(join(root, markdownFile), 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.replace(/^#+\s*/, '') === heading && /^#+\s/.test(line));
  if (start < 0) throw new Error(`${markdownFile} has no heading "${heading}"`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((line, i) => i > start && /^#+\s/.test(line) && /^#+/.exec(line)![0].length <= level);
  const section = lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
  return [...section.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)].map((m) => ({
    lang: m[2]!,
    code: m[3]!
      .split('\n')
      .map((line) => line.slice(m[1]!.length))
      .join('\n'),
  }));
}
