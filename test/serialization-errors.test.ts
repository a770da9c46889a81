import { afterAll, describe, expect, it } from 'vitest';
import { IsolatedCallError, SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';
import { waitForExit } from './helpers/processes.js';
import { statsOf } from './helpers/sdk-state.js';

afterAll(() => shutdown());

const fixture = () => loadFixture('tc39', 'unsendable');

const alive = (target: string) => statsOf(target)?.alive ?? 0;

describe('SerializationError: where a value could not cross', () => {
  it('an argument fails before any child is forked, with its path', async () => {
    const { Unsendable } = await fixture();
    // (A function there would cross as a callback: test/callbacks.test.ts.)
    const error = await caught(new Unsendable().takes(1, { handler: new WeakMap() }));
    expect(error).toBeInstanceOf(SerializationError);
    expect(error).toBeInstanceOf(IsolatedCallError);
    expect(error.code).toBe('ERR_ISOLATED_SERIALIZE');
    expect(error.path).toBe('args[1].handler');
    expect(error.reason).toMatch(/WeakMap/);
    expect(error.message).toContain('args[1].handler');
    expect(error.pid).toBeUndefined();
    expect(alive('Unsendable.takes')).toBe(0);
  });

  it("a field of this that can't cross stays in the parent: the call runs, and reading the field fails in the child", async () => {
    const { Unsendable } = await fixture();
    const instance = new Unsendable();
    instance.logger = { log: () => {} };
    expect(await instance.usesThis()).toBe('ran');
    const error = await caught(instance.readsLogger());
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('this.logger');
    expect(error.reason).toMatch(
      /^it stayed in the parent \(this\.logger\.log can't cross\), and the method read it in the child: it is a function/,
    );
    expect(error.pid).toEqual(expect.any(Number));
  });

  it('this itself that cannot cross (a Proxy) fails before any child is forked', async () => {
    const { Unsendable } = await fixture();
    const error = await caught(new Proxy(new Unsendable(), {}).usesThis());
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('this');
    expect(error.pid).toBeUndefined();
  });

  it('a result the child cannot send is reported by the child and raised in the parent', async () => {
    const { Unsendable } = await fixture();
    const error = await caught(new Unsendable().returnsHandle());
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.code).toBe('ERR_ISOLATED_SERIALIZE');
    expect(error.path).toBe('result.handle');
    expect(error.pid).toEqual(expect.any(Number));
    expect(await waitForExit(error.pid)).toBe(true);
  });

  it('a thrown non-Error the child cannot send is reported with its path', async () => {
    const { Unsendable } = await fixture();
    const error = await caught(new Unsendable().throwsUnsendable());
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('thrown.retry');
    expect(error.pid).toEqual(expect.any(Number));
  });
});
