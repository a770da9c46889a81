import { Isolated, isolate } from 'isolated-call';

/** The function form: typescript (9 MB of compiler) loads in a short-lived child, never in the Next server. */
export const transpile = isolate(async function transpile(source: string): Promise<string> {
  const ts = await import('typescript');
  return ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
});

/** The class form: the same, as a decorated method (standard decorators, Next's default tsconfig). */
export class Checker {
  @Isolated({ timeout: 10_000 })
  async diagnostics(source: string): Promise<string[]> {
    const ts = await import('typescript');
    const output = ts.transpileModule(source, { reportDiagnostics: true });
    return (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
}
