/**
 * Arguments the parent puts after the child entry on its command line. Kept
 * apart from the entry's code so the parent can name them without loading it.
 */

/** The parent's death has no kernel signal for this child (no setpriv): it watches for it (child/parent-watchdog.ts). */
export const WATCHDOG_FLAG = '--isolated-call-watchdog';
