/**
 * Awaits a promise that must reject and returns what it rejected with; fails
 * the test if it resolves. Typed `any` so a test can read an error's fields.
 */
export async function caught(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to reject');
}
