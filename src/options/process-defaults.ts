import { availableParallelism } from 'node:os';
import { globalSlot } from '../shared/global-slot.js';
import type { IsolatedOptions } from './types.js';

/** What `configure()` set, one per process (shared/global-slot.ts). */
export interface ProcessDefaults {
  /** Process-wide defaults of every method option. */
  defaults: IsolatedOptions;
  /** Bumped by `configure()`, so methods re-resolve their options. */
  defaultsVersion: number;
  /** Process-wide cap on live children, across all methods. */
  maxChildren: number;
}

export const processDefaults = globalSlot<ProcessDefaults>('defaults', () => ({
  defaults: {},
  defaultsVersion: 0,
  maxChildren: Math.max(4, availableParallelism() * 2),
}));
