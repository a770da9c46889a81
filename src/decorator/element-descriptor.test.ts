import { expect, test } from 'vitest';
import { Isolated } from './isolated.js';

test("a decorator of the 2018-09 proposal (Next's SWC without experimentalDecorators) fails naming both fixes", () => {
  const element = { kind: 'method', key: 'transpile', placement: 'prototype', descriptor: { value: async () => 1 } };
  const apply = Isolated() as unknown as (element: object) => unknown;
  expect(() => apply(element)).toThrow(/2018-09 proposal/);
  expect(() => apply(element)).toThrow('export default withIsolatedCall(nextConfig)');
  expect(() => apply(element)).toThrow('"experimentalDecorators": true');
});
