import { isModuleLoaded } from 'isolated-call';
import { Checker, transpile } from '@/lib/transpiler';

export const dynamic = 'force-dynamic';

// curl -s -X POST --data 'let x: number = 1' http://127.0.0.1:3000/api/transpile
export async function POST(request: Request) {
  const source = await request.text();
  return Response.json({
    output: await transpile(source),
    diagnostics: await new Checker().diagnostics(source),
    typescriptLoadedInServer: isModuleLoaded('typescript'),
  });
}
