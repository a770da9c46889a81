/**
 * node:fs through require(), for the SDK's ESM build. An ESM import of a
 * built-in makes Node build an ESM facade that copies every export, and
 * node:fs has about a hundred, getters included: ~2 ms on this
 * package's import, in the app and again in every fresh child (which
 * imports the SDK through the user's module). require() hands over the
 * module object as it is. Only the functions the SDK uses are listed.
 */
import type * as Fs from 'node:fs';
import { createRequire } from './create-require.js';

// Any absolute path will do as the base: a built-in resolves the same from anywhere.
const fs = createRequire(process.execPath)('node:fs') as typeof Fs;

export const {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} = fs;
