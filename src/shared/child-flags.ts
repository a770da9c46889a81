/**
 * Arguments the parent puts after the child entry on its command line. Kept
 * apart from the entry's code so the parent can name them without loading it.
 */

/** The parent's death has no kernel signal for this child (no setpriv): it watches for it (child/parent-watchdog.ts). */
export const WATCHDOG_FLAG = '--isolated-call-watchdog';

/**
 * The export condition under which a child resolves `isolated-call` to the
 * child's build (package.json; child/build-entry.ts). The parent passes it to
 * every child it forks from dist/child.cjs; the child removes it from its
 * own `process.execArgv`, so its own subprocesses don't inherit it.
 */
export const CHILD_CONDITION = 'isolated-call-child';

/** {@link CHILD_CONDITION} as the one node flag the parent writes. */
export const CHILD_CONDITION_FLAG = `--conditions=${CHILD_CONDITION}`;
