import { globalSlot } from './global-slot.js';

/** Whether this process is an isolated child, and whether its app asked: one answer for every SDK copy in the process. */
export interface GlobalState {
  /** Set by the child entry before it loads any user module. */
  inChild: boolean;
  /** Whether this process has asked `isIsolatedChild()`: an entry that guards its start-up does, before any call. */
  guardAsked: boolean;
}

/** The process-wide child flags; the other process-wide state is declared by its owners (global-slot.ts). */
export const globalState = globalSlot<GlobalState>('process', () => ({ inChild: false, guardAsked: false }));
