#!/usr/bin/env node
// npm run check:docs [-- page.md ...]
//
// Every fenced ```ts block of README.md and docs/*.md is a program a reader may
// copy, so each one is type-checked against the built package, as a user's
// project would see it, and run when it says what it prints. The conventions,
// all visible to the reader:
//
//   // fragment: <why>          first line: a piece of a program, not checked
//   // main.ts  (or // main.ts: what it is)
//                               first line: the block is that file; the blocks of
//                               one page are files of one project, so one may
//                               import another ('./transpiler.js'). A name used
//                               again on the page starts a new project holding
//                               the page's files so far, with the new one.
//   console.log(x); // prints: <text>
//                               the block is run (node --import tsx) and its
//                               output must hold each such text, in order, one
//                               line each; "…" matches anything within a line.
//   import 'reflect-metadata' or a first-lines comment "legacy decorators"
//                               checked with experimentalDecorators and
//                               emitDecoratorMetadata (run under tsx, which
//                               emits no metadata).
//   function name(params): Type  a block of bodiless declarations only is a
//                               signature: the package's own export of that name
//                               must have the same type (both ways assignable).
//
// It also checks every relative link of the pages: the file exists, and a
// #fragment names a heading of the page it points to, as GitHub makes them.
//
// Everything happens in a temporary folder: node_modules there links to the
// repo's packages, and isolated-call to the repo itself (its dist/). The repo
// is never written to. Exits 1 naming the page and line of every failure.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const RUN_TIMEOUT_MS = 60_000;

const FENCE_OPEN = /^(\s*)```(ts|typescript)\s*$/;
const FILE_NAME = /^\/\/ ([\w.-]+(?:\/[\w.-]+)*\.(?:ts|mts|cts))(?::|\s|$)/;
const FRAGMENT = /^\/\/ fragment: \S/;
const PRINTS = /\/\/ prints: (.*)$/;
const LEGACY = /import 'reflect-metadata'|legacy decorators/;

/** The ```ts blocks of one markdown page, with the page line each starts on. */
export function extractBlocks(page, text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (!open) continue;
    const indent = open[1];
    const body = [];
    let j = i + 1;
    while (j < lines.length && lines[j].trim() !== '```') body.push(lines[j++].slice(indent.length));
    blocks.push({ page, line: i + 2, code: `${body.join('\n')}\n` });
    i = j;
  }
  return blocks;
}

const SIGNATURE = /^function (\w+)/;

/** A block of bodiless `function` declarations only, as API references show them. */
const isSignature = (code) => SIGNATURE.test(code) && !code.split('\n').some((line) => line.trimEnd().endsWith('{'));

/** The names each entry point of the built package exports, from its .d.ts. */
function exportedNames() {
  const entries = { 'isolated-call': 'index.d.ts', 'isolated-call/bullmq': 'bullmq.d.ts', 'isolated-call/next': 'next.d.ts' };
  const names = new Map();
  for (const [entry, file] of Object.entries(entries)) {
    const text = readFileSync(join(repo, 'dist', file), 'utf8');
    for (const list of text.matchAll(/^export \{([^}]*)\}/gm)) {
      for (const item of list[1].split(',')) {
        const name = item
          .trim()
          .replace(/^type /, '')
          .split(' as ')
          .at(-1)
          .trim();
        if (name && !names.has(name)) names.set(name, entry);
      }
    }
  }
  return names;
}

/** A signature block as a program: the documented declaration and the package's export must fit each other. */
export function signatureProgram(code, exported) {
  const declared = [...new Set([...code.matchAll(/^function (\w+)/gm)].map((match) => match[1]))];
  const used = [...new Set(code.match(/\b[A-Za-z_]\w*\b/g))].filter((name) => exported.has(name));
  const byEntry = new Map();
  for (const name of used) byEntry.set(exported.get(name), [...(byEntry.get(exported.get(name)) ?? []), name]);
  const imports = [...byEntry].map(([entry, names]) => `import { ${names.join(', ')} } from '${entry}';`);
  const declarations = code.replace(/^function (\w+)/gm, 'declare function documented_$1');
  const checks = declared.map(
    (name) => `const real_${name}: typeof documented_${name} = ${name};\nconst doc_${name}: typeof ${name} = documented_${name};`,
  );
  return `${imports.join('\n')}\n${declarations}\n${checks.join('\n')}\nexport {};\n`;
}

/** What a block is: its file name, a fragment, what it must print, its decorator dialect. */
export function classify(block, index) {
  const first = block.code.split('\n')[0];
  const named = FILE_NAME.exec(first);
  const prints = block.code
    .split('\n')
    .map((line) => PRINTS.exec(line)?.[1].trim())
    .filter((text) => text !== undefined);
  return {
    ...block,
    signature: isSignature(block.code),
    fragment: FRAGMENT.test(first),
    file: named ? named[1] : `snippet-${index + 1}.ts`,
    prints,
    legacy: LEGACY.test(block.code.split('\n').slice(0, 3).join('\n')) || block.code.includes("import 'reflect-metadata'"),
  };
}

/** Groups a page's blocks into projects: a file name seen again starts a new one holding the earlier files. */
function projectsOf(blocks) {
  const projects = [];
  let files = new Map();
  for (const block of blocks) {
    if (block.fragment) continue;
    if (files.has(block.file)) {
      projects.push(files);
      files = new Map([...files].filter(([name]) => name !== block.file));
    }
    files.set(block.file, block);
  }
  if (files.size > 0) projects.push(files);
  return projects;
}

function linkPackages(into) {
  const modules = join(into, 'node_modules');
  mkdirSync(modules);
  const source = realpathSync(join(repo, 'node_modules'));
  for (const entry of readdirSync(source)) {
    if (entry === 'isolated-call') continue;
    symlinkSync(join(source, entry), join(modules, entry));
  }
  symlinkSync(repo, join(modules, 'isolated-call'), 'dir');
}

const baseCompilerOptions = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022', 'ESNext.Decorators', 'DOM'],
  types: ['node'],
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  moduleDetection: 'force',
};

function run(command, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: RUN_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Whether `expected` (one text per `// prints:`) appears in `stdout`'s lines, in order. */
export function printsMatch(expected, stdout) {
  const lines = stdout.split('\n').map((line) => line.trimEnd());
  let at = 0;
  for (const text of expected) {
    const pattern = new RegExp(`^${text.split('…').map(escapeRegExp).join('.*')}$`);
    while (at < lines.length && !pattern.test(lines[at])) at++;
    if (at === lines.length) return text;
    at++;
  }
  return undefined;
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
const anchorOf = (heading) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The anchors of a markdown page's headings (outside code blocks), with GitHub's -1, -2 for repeats. */
function anchorsOf(page) {
  const anchors = new Set();
  let inFence = false;
  for (const line of readFileSync(page, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const anchor = anchorOf(heading[1]);
    let unique = anchor;
    for (let n = 1; anchors.has(unique); n++) unique = `${anchor}-${n}`;
    anchors.add(unique);
  }
  return anchors;
}

/** Relative links whose file is missing, or whose #anchor is no heading there. */
export function brokenLinks(page, shown) {
  const broken = [];
  readFileSync(page, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      for (const [, link] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(link)) continue;
        const [path, anchor] = link.split('#');
        const target = path ? join(dirname(page), path) : page;
        if (!existsSync(target)) broken.push(`${shown}:${i + 1}: ${link}: no such file`);
        else if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor))
          broken.push(`${shown}:${i + 1}: ${link}: no such heading`);
      }
    });
  return broken;
}

/** Checks the pages; returns the failures (page:line and why) and the counts. */
export async function checkPages(pages) {
  if (!existsSync(join(repo, 'dist', 'index.d.ts'))) throw new Error('check-snippets: no dist/: run `npm run build` first');
  const work = mkdtempSync(join(tmpdir(), 'isolated-call-docs-'));
  const failures = [];
  const counts = { blocks: 0, checked: 0, signatures: 0, run: 0, fragments: 0 };
  const exported = exportedNames();
  try {
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'doc-snippets', private: true, type: 'module' }));
    linkPackages(work);
    /** Where each written file came from, to put tsc's errors back on the page. */
    const origin = new Map();
    const toRun = [];
    const dialects = { standard: [], legacy: [] };
    for (const page of pages) {
      const shown = relative(repo, page).startsWith('..') ? page : relative(repo, page);
      failures.push(...brokenLinks(page, shown));
      const blocks = extractBlocks(shown, readFileSync(page, 'utf8')).map(classify);
      counts.blocks += blocks.length;
      counts.fragments += blocks.filter((block) => block.fragment).length;
      counts.checked += blocks.length - blocks.filter((block) => block.fragment).length;
      counts.signatures += blocks.filter((block) => block.signature && !block.fragment).length;
      projectsOf(blocks).forEach((files, n) => {
        const legacy = [...files.values()].some((block) => block.legacy);
        const folder = join(legacy ? 'legacy' : 'standard', `${basename(page, '.md')}-${n + 1}`);
        mkdirSync(join(work, folder), { recursive: true });
        dialects[legacy ? 'legacy' : 'standard'].push(folder);
        if (legacy) {
          const compilerOptions = { ...baseCompilerOptions, experimentalDecorators: true, emitDecoratorMetadata: true };
          writeFileSync(join(work, folder, 'tsconfig.json'), JSON.stringify({ compilerOptions }));
        }
        for (const [name, block] of files) {
          const path = join(folder, name);
          mkdirSync(dirname(join(work, path)), { recursive: true });
          writeFileSync(join(work, path), block.signature ? signatureProgram(block.code, exported) : block.code);
          origin.set(path, block);
          // A block is run in the project where it was written, once.
          if (block.prints.length > 0) toRun.push({ block, path });
        }
      });
    }

    // The compiler's API rather than the tsc command: tsc reports no type error
    // at all while any file has a syntax error, and one broken page would hide
    // every other page's type errors.
    const ts = require('typescript');
    for (const [dialect, folders] of Object.entries(dialects)) {
      if (folders.length === 0) continue;
      const legacy = dialect === 'legacy' && { experimentalDecorators: true, emitDecoratorMetadata: true };
      const { options } = ts.convertCompilerOptionsFromJson({ ...baseCompilerOptions, ...legacy }, work);
      const files = [...origin.keys()].filter((path) => folders.some((folder) => path.startsWith(`${folder}/`)));
      const program = ts.createProgram({ rootNames: files.map((path) => join(work, path)), options });
      for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
        const message = `error TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ')}`;
        const block = diagnostic.file && origin.get(relative(work, diagnostic.file.fileName));
        if (!block) failures.push(`tsc: ${diagnostic.file ? `${diagnostic.file.fileName}: ` : ''}${message}`);
        else if (block.signature) failures.push(`${block.page}:${block.line}: the signature doesn't match the package's: ${message}`);
        else {
          const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
          failures.push(`${block.page}:${block.line + line}: ${message}`);
        }
      }
    }

    const seen = new Set();
    const runs = toRun.filter(({ block }) => !seen.has(block) && seen.add(block));
    counts.run = runs.length;
    const tsx = require.resolve('tsx');
    const runOne = async ({ block, path }) => {
      const result = await run(process.execPath, ['--import', tsx, basename(path)], join(work, dirname(path)));
      const where = `${block.page}:${block.line}`;
      if (result.status !== 0) {
        failures.push(`${where}: exited with ${result.status ?? result.signal}\n${result.stdout}${result.stderr}`);
        return;
      }
      const missing = printsMatch(block.prints, result.stdout);
      if (missing !== undefined) failures.push(`${where}: did not print "${missing}" (in order); it printed:\n${result.stdout}`);
    };
    // Two at a time: each run starts children of its own.
    for (let i = 0; i < runs.length; i += 2) await Promise.all(runs.slice(i, i + 2).map(runOne));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // A block copied into a later project of its page fails there too: say it once.
  return { failures: [...new Set(failures)], counts };
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const given = process.argv.slice(2);
  const pages =
    given.length > 0
      ? given
      : [
          join(repo, 'README.md'),
          ...readdirSync(join(repo, 'docs'))
            .filter((name) => name.endsWith('.md'))
            .sort()
            .map((name) => join(repo, 'docs', name)),
        ];
  const started = Date.now();
  const { failures, counts } = await checkPages(pages);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = `${counts.blocks} ts blocks in ${pages.length} pages: ${counts.checked} type-checked (${counts.signatures} of them signatures), ${counts.run} run, ${counts.fragments} fragments (${seconds} s)`;
  if (failures.length > 0) {
    console.error(failures.join('\n\n'));
    console.error(`\ncheck-snippets: ${failures.length} failures; ${summary}`);
    process.exit(1);
  }
  console.log(`check-snippets: ${summary}`);
}
