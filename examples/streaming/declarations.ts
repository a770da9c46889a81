import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Isolated } from 'isolated-call';

const require = createRequire(import.meta.url);

/** One exported declaration of a TypeScript file. */
export interface Declaration {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
}

export class Declarations {
  // An async generator method: the parent gets an AsyncGenerator, and the
  // child runs at most 4 declarations ahead of the consumer (default 1024;
  // small here so that a break stops the generator midway).
  @Isolated({ timeout: 60_000, streamAhead: 4 })
  async *exported(files: string[]): AsyncGenerator<Declaration, number> {
    const ts: typeof import('typescript') = require('typescript'); // loaded in the child only
    let count = 0;
    try {
      for (const file of files) {
        const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
        for (const statement of source.statements) {
          const exported =
            ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
          const name = (statement as { name?: import('typescript').Identifier }).name?.text;
          if (!exported || name === undefined) continue;
          count++;
          yield { file, kind: ts.SyntaxKind[statement.kind].replace(/Declaration$/, '').toLowerCase(), name };
        }
      }
      return count;
    } finally {
      // Runs in the child also when the consumer breaks out early.
      process.stderr.write(`[child ${process.pid}] generator finished after ${count} declarations\n`);
    }
  }
}
