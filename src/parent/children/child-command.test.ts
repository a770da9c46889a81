import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../options/resolve.js';
import { childCommand } from './child-command.js';
import { inheritedExecArgv, inheritedNodeOptions } from './inherited-flags.js';

describe('inheritedExecArgv', () => {
  it('keeps loaders, conditions, heap and feature flags, with their values', () => {
    // biome-ignore format: one flag and its value a line
    const argv = [
      '--import', 'tsx',
      '--require', './setup.cjs',
      '-r', 'dotenv/config',
      '--loader=ts-node/esm',
      '--experimental-loader', './loader.mjs',
      '--conditions', 'development',
      '-C', 'worker',
      '--enable-source-maps',
      '--max-semi-space-size=16',
      '--stack-size=2000',
      '--no-warnings',
      '--experimental-strip-types',
    ];
    expect(inheritedExecArgv(argv)).toEqual(argv);
  });

  it.each([
    ['--inspect'],
    ['--inspect=9229'],
    ['--inspect=127.0.0.1:0'],
    ['--inspect-brk'],
    ['--inspect-brk=0'],
    ['--inspect-wait'],
    ['--inspect_brk=0'],
    ['--inspect-port=9230'],
    ['--inspect-port', '9230'],
    ['--inspect-publish-uid=http'],
    ['--debug-port', '9230'],
    ['--watch'],
    ['--watch-path', './src'],
    ['--watch-path=./src'],
    ['--watch-preserve-output'],
    ['--test'],
    ['--test-only'],
    ['--test-reporter', 'spec'],
    ['--test-reporter=dot'],
    ['--test-name-pattern', '-starts-with-a-dash'],
    ['--test-concurrency', '1'],
    ['--test-coverage-include', 'src/**'],
    ['--experimental-test-coverage'],
    ['--experimental-test-module-mocks'],
    ['--prof'],
    ['--cpu-prof'],
    ['--cpu-prof-dir', '/tmp/prof'],
    ['--cpu_prof_dir=/tmp/prof'],
    ['--heap-prof', '--heap-prof-interval', '1024'],
    ['--heapsnapshot-signal=SIGUSR2'],
    ['--heapsnapshot-near-heap-limit', '3'],
    ['--diagnostic-dir', '/tmp/d'],
    ['--eval', 'console.log(1)'],
    ['--eval=console.log(1)'],
    ['-e', 'console.log(1)'],
    ['-e', '-1'],
    ['--print', 'process.pid'],
    ['-p', 'process.pid'],
    ['-pe', 'process.execArgv'],
    ['--input-type', 'module'],
    ['--input-type=module'],
    ['-i'],
    ['--interactive'],
    ['-c'],
    ['--check'],
    ['--snapshot-blob', 'snap.blob'],
    ['--build-snapshot'],
    ['--run', 'build'],
  ])('drops %s', (...flags) => {
    expect(inheritedExecArgv(['--import', 'tsx', ...flags, '--enable-source-maps'])).toEqual(['--import', 'tsx', '--enable-source-maps']);
  });

  it('drops the value of a dropped flag it doesn’t know to take one', () => {
    expect(inheritedExecArgv(['--test-some-future-flag', 'value', '--no-warnings'])).toEqual(['--no-warnings']);
  });

  it('never reads a kept flag’s value as a flag', () => {
    expect(inheritedExecArgv(['--title', '--inspect', '-r', '-e'])).toEqual(['--title', '--inspect', '-r', '-e']);
  });

  it('keeps flags that only start like a dropped one', () => {
    const lookalikes = ['--testing-flag', '--debugger-x', '--profile-thing'];
    expect(inheritedExecArgv(lookalikes)).toEqual(lookalikes);
  });

  it('keeps the parent’s --max-old-space-size without the option', () => {
    expect(inheritedExecArgv(['--max-old-space-size=512'])).toEqual(['--max-old-space-size=512']);
  });

  it('replaces the parent’s --max-old-space-size (dashes or underscores) by the option', () => {
    expect(inheritedExecArgv(['--max-old-space-size=512', '--import', 'tsx', '--max_old_space_size=256'], 64)).toEqual([
      '--import',
      'tsx',
      '--max-old-space-size=64',
    ]);
    expect(inheritedExecArgv(['--max-semi-space-size=16'], 64)).toEqual(['--max-semi-space-size=16', '--max-old-space-size=64']);
  });

  it('reads process.execArgv by default and doesn’t change its input', () => {
    const argv = Object.freeze(['--inspect', '--no-warnings']);
    expect(inheritedExecArgv(argv)).toEqual(['--no-warnings']);
    expect(Array.isArray(inheritedExecArgv())).toBe(true);
  });
});

describe('inheritedNodeOptions', () => {
  it('leaves NODE_OPTIONS as it is, byte for byte, when nothing is dropped', () => {
    for (const value of ['', '--require ./a.js  --no-warnings', '--import "/tmp/a b.mjs" --max-old-space-size=512']) {
      expect(inheritedNodeOptions(value)).toBe(value);
    }
  });

  it('drops the same flags as the command line', () => {
    expect(inheritedNodeOptions('--inspect --require ./setup.cjs')).toBe('--require ./setup.cjs');
    expect(inheritedNodeOptions('--cpu-prof --cpu-prof-dir /tmp/p --enable-source-maps')).toBe('--enable-source-maps');
    expect(inheritedNodeOptions('--inspect-brk=0')).toBe('');
  });

  it('quotes what it writes back the way Node reads it', () => {
    expect(inheritedNodeOptions('--inspect --require "/tmp/a b.cjs"')).toBe('--require "/tmp/a b.cjs"');
    expect(inheritedNodeOptions('--inspect --title "say \\"hi\\" \\\\ bye"')).toBe('--title "say \\"hi\\" \\\\ bye"');
  });

  it('leaves what Node would refuse alone', () => {
    expect(inheritedNodeOptions('--inspect --title "unterminated')).toBe('--inspect --title "unterminated');
  });
});

describe('childCommand', () => {
  const module = 'file:///app/work.mjs';

  it('starts the child with the child-build condition, and sends its first call at once', () => {
    const command = childCommand(resolveOptions(), module, false);
    expect(command.execArgv).toContain('--conditions=isolated-call-child');
    expect(command.listensAtOnce).toBe(true);
  });

  it.each([
    ['--import in execArgv', { execArgv: ['--import', 'data:text/javascript,'] }],
    ['--import= in execArgv', { execArgv: ['--import=data:text/javascript,'] }],
    ['--loader in execArgv', { execArgv: ['--loader', './hooks.mjs'] }],
    ['--import in the child’s NODE_OPTIONS', { env: { NODE_OPTIONS: '--import ./preload.mjs' } }],
  ])('waits for ready with %s: an ES module runs before the entry listens', (_, options) => {
    expect(childCommand(resolveOptions(options), module, false).listensAtOnce).toBe(false);
  });

  it('an app bundle that holds the SDK: no condition, and the first call waits for ready (an ES module bundle loads in turns)', () => {
    const command = childCommand(resolveOptions(), module, true);
    expect(command.execArgv).not.toContain('--conditions=isolated-call-child');
    expect(command.listensAtOnce).toBe(false);
  });

  it('a --require preload runs synchronously before the entry: the first call still goes at once', () => {
    expect(childCommand(resolveOptions({ execArgv: ['--require', './hook.cjs'] }), module, false).listensAtOnce).toBe(true);
  });
});
