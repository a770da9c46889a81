/**
 * What marks a message as the SDK's, and its shape's version: a leaf, so
 * every message file can use them without importing another.
 */

/** Bumped whenever a message changes shape; a child of another SDK version is refused. */
export const PROTOCOL_VERSION = 5;

/** Marker field present on every message of ours; anything else on the channel is ignored. */
export const MARKER = '__isolatedCall';
