import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerializationError, configure, shutdown } from 'isolated-call';
import { caught } from './helpers/caught.js';
import { loadFixture } from './helpers/fixtures.js';

// The fixture imports app-superjson.ts, which registers on its own
// `new SuperJSON()` and calls configure({ superjson }); the child imports the
// same modules, so it runs the same registrations.
let fx: Record<string, any>;
let app: Record<string, any>;
beforeAll(async () => {
  fx = await loadFixture('tc39', 'superjson-app');
  app = await loadFixture('tc39', 'app-superjson');
});
afterAll(() => shutdown());

describe("the app's superjson instance: register once, honoured both ways", () => {
  it('registerCustom (a Decimal in private fields) and registerClass round-trip in args, this and the result', async () => {
    const out = await new fx.Ledger().add(new app.Decimal('0.25'), new app.Money(1.5, 'EUR'));
    expect(out.total).toBeInstanceOf(app.Decimal);
    expect(String(out.total)).toBe('10.75');
    expect(out.fee).toBeInstanceOf(app.Money);
    expect(out.fee.format()).toBe('1.50 EUR');
    expect(out.kinds).toEqual([true, true, true]);
    expect(out.formatted).toBe('1.50 EUR');
  });

  it('an error class registered on the instance is rethrown as itself, with its fields', async () => {
    const error = await caught(new fx.Ledger().charge(new app.Money(99, 'USD')));
    expect(error).toBeInstanceOf(app.PaymentError);
    expect(error.message).toBe('card declined');
    expect(error.declined).toBeInstanceOf(app.Money);
    expect(error.declined.amount).toBe(99);
  });

  it("registerClass's identifier and allowProps apply", async () => {
    expect(await new fx.Ledger().login(new app.Credentials('ada', 'hunter2'))).toEqual({ keys: ['user'], isCredentials: true });
  });

  it('(control) without the instance the same arguments fail: it is the instance that carries them', async () => {
    configure({ superjson: null });
    try {
      const error = await caught(new fx.Ledger().add(new app.Decimal('1'), new app.Money(1, 'EUR')));
      expect(error).toBeInstanceOf(SerializationError);
      expect(error.path).toBe('args[0]');
    } finally {
      configure({ superjson: app.superjson });
    }
    expect(String((await new fx.Ledger().add(new app.Decimal('1'), new app.Money(1, 'EUR'))).total)).toBe('11.50');
  });
});
