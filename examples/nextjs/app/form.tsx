'use client';
import { useActionState } from 'react';
import { transpileAction } from './actions';

export function TranspileForm() {
  const [output, action, pending] = useActionState(transpileAction, '');
  return (
    <form action={action}>
      <textarea name="source" defaultValue="enum Color { Red, Green }" rows={4} cols={60} />
      <br />
      <button type="submit" disabled={pending}>
        Transpile in a child process
      </button>
      <pre>{output}</pre>
    </form>
  );
}
