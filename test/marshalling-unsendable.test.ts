import { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerializationError, registerClass, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { statsOf } from './helpers/sdk-state.js';

// Every child that loads the echo fixture appends its pid here (see echo.ts).
const dir = mkdtempSync(join(tmpdir(), 'marshal-unsendable-'));
const forkLog = join(dir, 'forks.log');
process.env.MARSHAL_FORK_LOG = forkLog;
const forks = () => readFileSync(forkLog, 'utf8').split('\n').filter(Boolean);

let echo: Record<string, any>;
beforeAll(async () => {
  writeFileSync(forkLog, '');
  echo = await loadFixture('tc39', 'echo');
});
afterAll(async () => {
  await shutdown();
  rmSync(dir, { recursive: true, force: true });
});

/** Arguments (all after the first are passed too), the exact path, and what the message must name. */
const argumentCases: Record<string, { args: () => unknown[]; path: string; names: RegExp }> = {
  // A function crosses as a callback (test/callbacks.test.ts); a class can't be called without `new`, so it can't be one.
  class: {
    args: () => [{ Shape: class Shape {} }],
    path: 'args[0].Shape',
    names: /a class \(Shape\); a class can't be called without new/,
  },
  'unregistered symbol': {
    args: () => [{ kind: Symbol('local') }],
    path: 'args[0].kind',
    names: /symbol that isn't registered \(Symbol\(local\)\)/,
  },
  WeakMap: { args: () => ['ok', { cache: new WeakMap() }], path: 'args[1].cache', names: /WeakMap/ },
  WeakSet: { args: () => [[1, new WeakSet()]], path: 'args[0][1]', names: /WeakSet/ },
  WeakRef: { args: () => [{ ref: new WeakRef({}) }], path: 'args[0].ref', names: /WeakRef/ },
  Promise: { args: () => [{ pending: Promise.resolve(1) }], path: 'args[0].pending', names: /a Promise/ },
  stream: { args: () => [{ input: new PassThrough() }], path: 'args[0].input', names: /PassThrough.*stream/ },
  socket: { args: () => [{ conn: new Socket() }], path: 'args[0].conn', names: /Socket.*socket/ },
  'child process': { args: () => [{ proc: new ChildProcess() }], path: 'args[0].proc', names: /ChildProcess/ },
  SharedArrayBuffer: { args: () => [{ shared: new SharedArrayBuffer(8) }], path: 'args[0].shared', names: /SharedArrayBuffer/ },
  'unregistered class instance': {
    args: () => [{ items: ['a', new echo.shapes.Unregistered()] }],
    path: 'args[0].items[1]',
    names: /class Unregistered, which isn't registered.*registerClass\(Unregistered\)/,
  },
  'Map subclass': {
    args: () => [{ cache: new (class Cache extends Map {})() }],
    path: 'args[0].cache',
    names: /Cache, a subclass of Map, which would arrive as a plain Map/,
  },
  'Array subclass': { args: () => [[new (class Stack extends Array {})()]], path: 'args[0][0]', names: /Stack, a subclass of Array/ },
  'Date subclass': {
    args: () => [{ when: new (class Moment extends Date {})(0) }],
    path: 'args[0].when',
    names: /Moment, a subclass of Date/,
  },
  'typed array subclass': {
    args: () => [{ bytes: new (class Bytes extends Uint16Array {})(2) }],
    path: 'args[0].bytes',
    names: /Bytes, a subclass of Uint16Array/,
  },
  'URL subclass': {
    args: () => [{ home: new (class Link extends URL {})('https://example.com/') }],
    path: 'args[0].home',
    names: /Link, a subclass of URL/,
  },
  'class as a Map value': { args: () => [new Map([['cb', class Named {}]])], path: 'args[0][Map value #0]', names: /a class \(Named\)/ },
  'unsendable inside a registered class': {
    args: () => [new echo.shapes.Vec([1]), { v: Object.assign(new echo.shapes.Vec(), { items: [Symbol('x')] }) }],
    path: 'args[1].v.items[0]',
    names: /symbol/,
  },
};

describe("arguments that can't cross fail before any child is forked", () => {
  it.each(Object.entries(argumentCases))('%s', async (_name, { args, path, names }) => {
    const error = await caught(echo.echoFn(...args()));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.code).toBe('ERR_ISOLATED_SERIALIZE');
    expect(error.path).toBe(path);
    expect(error.message).toContain(`Cannot send ${path} to the other process`);
    expect(error.reason).toMatch(names);
    expect(error.pid).toBeUndefined(); // no child was involved
    expect(statsOf('echoFn')?.calls ?? 0).toBe(0);
    expect(forks()).toEqual([]);
  });

  it('(control) a call that can cross does fork, and the fork log sees it', async () => {
    expect(await echo.echoFn({ fine: true })).toEqual({ fine: true });
    expect(forks()).toHaveLength(1);
    expect(statsOf('echoFn')?.calls).toBe(1);
  });
});

describe("results that can't cross: the child reports the path", () => {
  it.each([
    ['function', /a function/],
    ['symbol', /symbol that isn't registered/],
    ['socket', /Socket/],
    ['weakmap', /WeakMap/],
    ['signal', /AbortSignal.*only.*argument/],
    ['instance', /class Unregistered.*registerClass\(Unregistered\)/],
  ])('%s', async (what, names) => {
    const error = await caught(new echo.Echo().unsendable(what));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('result.handle');
    expect(error.reason).toMatch(names);
    expect(error.pid).toEqual(expect.any(Number)); // it comes from the child
  });
});

describe('a class registered only in the parent', () => {
  it('the child names the class and says where to register it', async () => {
    class ParentOnly {
      constructor(public n = 1) {}
    }
    registerClass(ParentOnly); // in the test file only, which the child never loads
    const error = await caught(echo.echoFn({ nested: [new ParentOnly(2)] }));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('args[0].nested[0]');
    expect(error.message).toMatch(/class "ParentOnly" is not registered in the child/);
    expect(error.message).toMatch(
      /in the module that defines the isolated method.*registerClass\(ParentOnly\).*not only in the main script/,
    );
    expect(error.pid).toEqual(expect.any(Number)); // the child's report
  });
});
