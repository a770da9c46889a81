import { spawnSync } from 'node:child_process';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerializationError, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { fixtureFile, flavors, loadFixture } from './helpers/fixtures.js';

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
    ['logger', () => new fx.Logger()],
    ['onEvent', () => () => {}],
    ['socket', () => new Socket()],
  ])("a field that can't cross (%s) stays in the parent: a method that doesn't read it runs", async (field, make) => {
    const account = Object.assign(new fx.Account(), { [field]: make() });
    expect((await account.inspect()).keys).toEqual(Object.keys(account));
  });

  it('sendThis: false runs the method with an instance whose fields are all left behind', async () => {
    const account = Object.assign(new fx.Account(), { logger: new fx.Logger(), socket: new Socket() });
    expect(await account.bare(21)).toEqual({ n: 42, isAccount: true, keys: Object.keys(account) });
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

describe.each(flavors)('a NestJS-style service with an injected ConfigService and a logger (%s build)', (flavor) => {
  let fx: Record<string, any>;
  let service: any;
  beforeAll(async () => {
    fx = await loadFixture(flavor, 'injected-service');
    service = new fx.ReportService(new fx.ConfigService({ title: 'Q3' }));
  });

  it("a method that uses only what crosses runs with no option; every field is on the child's `this`", async () => {
    expect(await service.convert(10, 'USD')).toEqual({
      value: 11,
      currency: 'EUR',
      keys: ['config', 'currency', 'logger', 'onDone', 'rates'],
    });
  });

  it('reading a field that stayed in the parent rejects with a SerializationError naming it and the fix, from the child', async () => {
    const error = await caught(service.title());
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('this.config');
    expect(error.reason).toMatch(/^it stayed in the parent, and the method read it in the child: it is an instance of class ConfigService/);
    expect(error.reason).toMatch(
      /registerClass\(ConfigService\).*pass what the method needs as an argument, or make the method not use this\.config$/,
    );
    expect(error.pid).toEqual(expect.any(Number));
  });

  it('writing a left-behind field in the child replaces it', async () => {
    expect(await service.replaceLogger()).toEqual(['in the child']);
  });

  it('sendThis: false: reading a field throws, saying the option sent nothing', async () => {
    const error = await caught(service.bareCurrency());
    expect(error.path).toBe('this.currency');
    expect(error.reason).toMatch(/sendThis: false/);
  });
});

describe('NODE_DEBUG=isolated-call', () => {
  it('names the fields of `this` left in the parent, once per call', () => {
    const run = spawnSync(process.execPath, ['left-behind-debug.mjs'], {
      cwd: fixtureFile('scripts'),
      encoding: 'utf8',
      env: { ...process.env, NODE_DEBUG: 'isolated-call' },
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('"currency":"EUR"');
    expect(run.stderr).toMatch(
      /ReportService\.convert: left in the parent, an error if the method reads them: this\.(logger|config), this\.(logger|config), this\.onDone\n/,
    );
  });
});
