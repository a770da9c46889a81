/**
 * The longest delay Node's timers hold: 2^31 − 1 ms, about 24.8 days. A
 * longer one (Infinity included) fires after 1 ms, with a warning, so a
 * millisecond option is either within it or Infinity, which the SDK takes as
 * "no timer at all".
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
