import { TranspileForm } from './form';

export default function Page() {
  return (
    <main>
      <h1>isolated-call in Next.js</h1>
      <TranspileForm />
    </main>
  );
}
