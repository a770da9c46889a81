import { Isolated } from 'isolated-call';

export interface Progress {
  done: number;
  total: number;
}

export class Importer {
  // `onProgress` and `shouldSkip` are the parent's functions: in the child they are
  // stubs that call back into the parent and return a Promise of the answer.
  @Isolated()
  async importRows(rows: string[], hooks: { onProgress: (p: Progress) => void; shouldSkip: (row: string) => boolean }): Promise<number> {
    let imported = 0;
    for (const [i, row] of rows.entries()) {
      // Awaited: the parent's answer is needed here.
      if (await hooks.shouldSkip(row)) continue;
      imported++;
      // Not awaited: a progress report. It still arrives in order, and has run
      // in the parent before this call resolves there.
      if ((i + 1) % 250 === 0) hooks.onProgress({ done: i + 1, total: rows.length });
    }
    return imported;
  }
}
