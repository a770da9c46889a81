import { expect, test } from 'vitest';
import { StreamBuffer } from './stream-buffer.js';

test('values come out oldest first with their sizes, also across the compaction of a consumer that lags behind', () => {
  const buffer = new StreamBuffer();
  const taken: [unknown, number][] = [];
  const take = () => taken.push([buffer.firstBytes(), buffer.shift()].reverse() as [unknown, number]);
  let next = 0;
  // The consumer takes two of every three values: always behind, never caught up until the end.
  for (let round = 0; round < 2000; round++) {
    for (let i = 0; i < 3; i++) buffer.push(`v${next}`, next++);
    take();
    take();
  }
  expect(buffer.length).toBe(2000);
  while (buffer.length > 0) take();
  expect(taken).toEqual(Array.from({ length: 6000 }, (_, i) => [`v${i}`, i]));
  buffer.push('again', 1);
  expect([buffer.length, buffer.firstBytes(), buffer.shift(), buffer.length]).toEqual([1, 1, 'again', 0]);
});
