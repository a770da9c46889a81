'use server';
import { transpile } from '@/lib/transpiler';

/** A server action: the form on the page posts here, and the isolated function runs in a child. */
export async function transpileAction(_previous: string, form: FormData): Promise<string> {
  return transpile(String(form.get('source') ?? ''));
}
