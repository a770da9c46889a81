// The channel names alone, without node:diagnostics_channel: the child's API
// exports them too, and the channels are published by the parent (parent/calls/call-tracing.ts, parent/children/child-events.ts).

/** The names this SDK publishes under on `node:diagnostics_channel`. */
export const diagnosticsChannels = {
  /** A TracingChannel: `tracing:isolated-call:call:start`, `…:end`, `…:asyncStart`, `…:asyncEnd`, `…:error`. */
  call: 'isolated-call:call',
  /** A child process started: ChildSpawnEvent (parent/children/child-events.ts). */
  childSpawn: 'isolated-call:child:spawn',
  /** A child process is gone: ChildExitEvent (parent/children/child-events.ts). */
  childExit: 'isolated-call:child:exit',
} as const;
