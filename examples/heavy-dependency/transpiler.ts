import { Isolated } from 'isolated-call';

export class Transpiler {
  constructor(private readonly target: 'es2022' | 'es5' = 'es2022') {}

  @Isolated({ timeout: 30_000 })
  async transpile(source: string): Promise<string> {
    const ts = await import('typescript'); // loaded in the child only
    const target = this.target === 'es5' ? ts.ScriptTarget.ES5 : ts.ScriptTarget.ES2022;
    return ts.transpileModule(source, { compilerOptions: { target } }).outputText;
  }
}
