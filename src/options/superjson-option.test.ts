import SuperJSON from 'superjson';
import { afterEach, describe, expect, it } from 'vitest';
import { classById, classId, transformerByName, transformerLookup } from '../codec/registrations.js';
import { resolveProcessOptions } from '../options/resolve.js';
import { configure } from '../parent/pool/pool-api.js';
import { codecState } from '../codec/codec-state.js';
import { invalid, resolveBad } from './invalid-option.test-helper.js';

afterEach(() => configure({ superjson: null }));

describe('superjson, a process-wide option', () => {
  it('takes an instance, or the SuperJSON class for its default instance; null removes it', () => {
    const instance = new SuperJSON();
    configure({ superjson: instance });
    expect(codecState().appSuperjson).toBe(instance);
    configure({ timeout: 5 }); // not named: stays
    expect(codecState().appSuperjson).toBe(instance);
    configure({ superjson: SuperJSON });
    expect(codecState().appSuperjson).toBe((SuperJSON as unknown as { defaultInstance: unknown }).defaultInstance);
    configure({ superjson: null });
    expect(codecState().appSuperjson).toBeUndefined();
  });

  it.each([[{}], [42], ['superjson'], [{ classRegistry: {} }], [class NotSuperJSON {}]])('refuses %s, naming what it wants', (value) => {
    const error = invalid(() => resolveProcessOptions({ superjson: value as never }));
    expect(error.option).toBe('superjson');
    expect(error.message).toMatch(/expected a superjson instance \(new SuperJSON\(\) from superjson 2/);
  });

  it('is rejected by @Isolated() and isolate()', () => {
    expect(invalid(() => resolveBad({ superjson: new SuperJSON() })).message).toContain('pass it to configure()');
  });

  it("the codec sees the instance's registrations after the SDK's own", () => {
    class Point {}
    const instance = new SuperJSON();
    instance.registerClass(Point, 'app.Point');
    expect(classId(Point)).toBeUndefined();
    expect(transformerLookup()).toBeUndefined();
    configure({ superjson: instance });
    expect(classId(Point)).toBe('app.Point');
    expect(classById('app.Point')).toBe(Point);
    expect(transformerLookup()).toBeUndefined(); // no transformer: objects are not asked about
    instance.registerCustom<Point, string>(
      { isApplicable: (v): v is Point => v instanceof Point, serialize: () => 'p', deserialize: () => new Point() },
      'pt',
    );
    expect(transformerLookup()?.findApplicable(new Point())?.name).toBe('pt');
    expect(transformerByName('pt')?.serialize(new Point())).toBe('p');
  });
});
