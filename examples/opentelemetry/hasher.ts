import { pbkdf2Sync } from 'node:crypto';
import { Isolated } from 'isolated-call';

export class Hasher {
  /** CPU-bound work, kept out of the parent's event loop. */
  @Isolated({ keepAlive: 5_000 })
  async digest(password: string, rounds: number): Promise<string> {
    if (rounds < 1) throw new RangeError(`rounds must be at least 1, got ${rounds}`);
    return pbkdf2Sync(password, 'example-salt', rounds, 32, 'sha256').toString('hex');
  }
}
