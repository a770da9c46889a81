import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { flavors, loadFixture } from './helpers/fixtures.js';

afterAll(() => shutdown());

describe.each(flavors)('`this` (%s build)', (flavor) => {
  let fx: Record<string, any>;
  beforeAll(async () => {
    fx = await loadFixture(flavor, 'stateful');
  });

  it('own state reaches the child: types, nested class instances and self references', async () => {
    const account = new fx.Account();
    account.tags.add('vip');
    const seen = await account.inspect();
    expect(seen).toEqual({
      owner: 'ann',
      balance: 10n,
      tags: ['new', 'vip'],
      opened: new Date(0),
      homeNorm: 5,
      isAccount: true,
      selfIsThis: true,
      keys: Object.keys(account),
    });
  });

  it('mutations made in the child are not written back to the parent instance', async () => {
    const account = new fx.Account();
    expect(await account.deposit(5n)).toBe(15n);
    expect(account.balance).toBe(10n);
    expect(account.owner).toBe('ann');
    expect([...account.tags]).toEqual(['new']);
    expect(account.home.x).toBe(3);
  });

  it.each([
    ['logger', () => new fx.Logger(), /class Logger/],
    ['onEvent', () => () => {}, /a function/],
    ['socket', () => new Socket(), /Socket/],
  ])("a field that can't cross (%s) fails before forking, naming this.<field>", async (field, make, names) => {
    const account = Object.assign(new fx.Account(), { [field]: make() });
    const error = await caught(account.inspect());
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe(`this.${field}`);
    expect(error.reason).toMatch(names);
    expect(error.pid).toBeUndefined();
  });

  it('sendThis: false runs the method with a bare instance, whatever the fields hold', async () => {
    const account = Object.assign(new fx.Account(), { logger: new fx.Logger(), socket: new Socket() });
    expect(await account.bare(21)).toEqual({ n: 42, isAccount: true, keys: [] });
  });

  it.each([
    ['#private', 'Counter'],
    ['accessor', 'Gauge'],
  ])('%s fields: SerializationError at path `this` explaining why', async (_kind, className) => {
    const error = await caught(new fx[className]().read());
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('this');
    expect(error.reason).toMatch(/#private or accessor fields, which can't be read or restored from outside the class/);
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});
