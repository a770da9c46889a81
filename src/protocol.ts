/**
 * The parent–child protocol: message types (protocol/messages.ts) and
 * constructors (protocol/build-messages.ts), the parent's validation of child messages
 * (protocol/parse-child-message.ts) and the child's reading of parent
 * messages (protocol/parse-parent-message.ts).
 */
export * from './protocol/messages.js';
export * from './protocol/build-messages.js';
export { parseChildMessage, MAX_REPLY_FILES, MAX_FILE_PATH_LENGTH, type ParsedChildMessage } from './protocol/parse-child-message.js';
export { parseParentMessage } from './protocol/parse-parent-message.js';
export * from './protocol/stream-messages.js';
export * from './protocol/output-messages.js';
