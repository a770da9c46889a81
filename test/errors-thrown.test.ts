import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, fixturePath, loadFixture, type Flavor } from './helpers/fixtures.js';
import { runNodeJson } from './helpers/scripts.js';

afterAll(() => shutdown());

const flavor: Flavor = 'tc39';
const failures = () => loadFixture(flavor, 'failures');

describe('errors thrown by the method are rethrown in the parent', () => {
  it('keeps a registered error class with its own properties', async () => {
    const { Failures, RegisteredError } = await failures();
    const error = await caught(new Failures().throwRegistered());
    expect(error).toBeInstanceOf(RegisteredError);
    expect(error.name).toBe('RegisteredError');
    expect(error.message).toBe('limit 7 reached');
    expect(error.limit).toBe(7);
  });

  it.each(['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError'])('rebuilds a built-in %s', async (kind) => {
    const { Failures } = await failures();
    const error = await caught(new Failures().throwBuiltin(kind));
    expect(error).toBeInstanceOf((globalThis as any)[kind]);
    expect(error.name).toBe(kind);
  });

  it('rebuilds an AggregateError with its errors', async () => {
    const { Failures } = await failures();
    const error = await caught(new Failures().throwBuiltin('AggregateError'));
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.message).toBe('several');
    expect(error.errors).toHaveLength(2);
    expect(error.errors[0]).toBeInstanceOf(TypeError);
    expect(error.errors[0].message).toBe('first');
    expect(error.errors[1]).toBeInstanceOf(RangeError);
  });

  it('keeps the cause chain, errors inside errors, and own props such as code and a Date', async () => {
    const { Failures } = await failures();
    const error = await caught(new Failures().throwWithCause());
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('top');
    const middle = error.cause;
    expect(middle).toBeInstanceOf(Error);
    expect(middle.name).toBe('QuotaError');
    expect(middle.code).toBe('E_MID');
    expect(middle.at).toBeInstanceOf(Date);
    expect(middle.at.getTime()).toBe(0);
    expect(middle.cause).toBeInstanceOf(RangeError);
    expect(middle.cause.message).toBe('root cause');
  });

  it("stacks the child's throw site (file and line) over the parent's call site", async () => {
    const { Failures } = await failures();
    const error = await caught(new Failures().throwRegistered());
    const stack: string = error.stack;
    const [childPart, parentPart] = stack.split('<isolated-call: rethrown in the parent, called from>');
    expect(childPart).toMatch(/build\/tc39\/failures\.js:\d+:\d+/);
    expect(parentPart).toBeDefined();
    expect(parentPart).toContain('errors-thrown.test.ts');
  });

  it('keeps code, errno, syscall and path of a Node system error', async () => {
    const { Failures } = await failures();
    const missing = '/nonexistent/isolated-call/missing.txt';
    const error = await caught(new Failures().readMissing(missing));
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ENOENT');
    expect(error.errno).toBe(-2);
    expect(error.syscall).toBe('open');
    expect(error.path).toBe(missing);
  });

  it('turns an error of a class the parent does not know into an Error with the original name', async () => {
    const { Failures } = await failures();
    const error = await caught(new Failures().throwHidden());
    expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
    expect(error.name).toBe('HiddenError');
    expect(error.message).toBe('from a private class');
    expect(error.stack).toContain('HiddenError');
  });

  it('rethrows a thrown string as that string', async () => {
    const { Failures } = await failures();
    expect(await caught(new Failures().throwString())).toBe('just a string');
  });

  it('rethrows a thrown plain object as that object', async () => {
    const { Failures } = await failures();
    const thrown = await caught(new Failures().throwObject());
    expect(thrown).toEqual({ status: 418, when: new Date(5) });
    expect(thrown.when).toBeInstanceOf(Date);
  });

  it('still delivers an error whose property cannot cross (noted in its place)', async () => {
    const { Failures } = await failures();
    const error = await caught(new Failures().throwUnsendableProp());
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('with a function inside');
    expect(error.code).toBe('E_FN');
    expect(String(error.handler)).toMatch(/cannot cross/);
  });

  it('falls back to an Error with the original name, message and stack when a property cannot be rebuilt', async () => {
    const { Failures } = await failures();
    const error = await caught(new Failures().throwChildOnlyProp());
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('holds a child-only value');
    expect(error.stack).toMatch(/build\/tc39\/failures\.js:\d+/);
  });
});

describe('classes exported by the decorated module (plain Node parent)', () => {
  // Under vitest the fixture is evaluated by vite's runner, which the SDK
  // can't see (see src/parent/calls/read-reply.ts), so this runs in a real Node parent.
  it.each(['tc39', 'cjs'] as Flavor[])('rebuilds an exported error class with a Date prop, also inside a cause (%s build)', (flavor) => {
    const { json } = runNodeJson([fixtureFile('parents/throw-exported.mjs'), fixturePath(flavor, 'failures')]);
    expect(json).toEqual({
      instance: true,
      name: 'QuotaError',
      message: 'over quota',
      code: 'E_QUOTA',
      at: '2024-01-02T00:00:00.000Z',
      causeInstance: true, // a user class inside a built-in error's cause
      causeAt: '1970-01-01T00:00:00.000Z',
    });
  });

  it('never evaluates a module the parent has not loaded just to rebuild its error (module option)', () => {
    const { json } = runNodeJson([fixtureFile('parents/heavy-facade.mjs'), fixturePath('tc39', 'heavy-facade')]);
    expect(json).toEqual({ name: 'HeavyError', message: 'thrown by the heavy implementation', evaluated: false });
  });
});

describe('a module the test runner evaluated itself (vitest, here)', () => {
  // vitest's module runner evaluates the fixture as a script under its own
  // name; Node's loader doesn't have it, and an import() would evaluate a
  // second copy in the parent. The error comes back as an Error with its name.
  it('is never evaluated a second time to rebuild an error of a class it exports', async () => {
    const { Thrower, evaluations } = await loadFixture(flavor, 'evaluated-once');
    const error = await caught(new Thrower().throwExported());
    expect(error.name).toBe('ExportedError');
    expect(error.message).toBe('exported from the module');
    expect(evaluations()).toBe(1);
  });
});
