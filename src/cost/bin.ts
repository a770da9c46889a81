#!/usr/bin/env node
/** The `isolated-call` command (dist/cli.cjs): `isolated-call cost <module...>`, see cli.ts. */
import { runCli } from './cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`isolated-call: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
