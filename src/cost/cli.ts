import { byCost, type CostRow, costRow } from './cost-row.js';
import { measureInChild } from './run-child.js';
import { parseCommandLine, USAGE, UsageError } from './args.js';
import { progressLine } from './progress.js';
import { costTable } from './table.js';

/**
 * `isolated-call cost <module...>`: measures each module in a child of its
 * own, one after the other (children measured at the same time would
 * disturb each other's numbers), and prints the table or the JSON array.
 * Resolves to the exit code.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof parseCommandLine>;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // --help (no message) is an answer, not a mistake.
    if (!error.message) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`isolated-call: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const progress = progressLine();
  const rows: CostRow[] = [];
  for (const [i, module] of command.modules.entries()) {
    progress.show(`isolated-call cost: [${i + 1}/${command.modules.length}] loading ${module}...`);
    const report = await measureInChild(module, { cwd: process.cwd(), timeoutMs: command.timeoutMs });
    rows.push(costRow(module, report));
  }
  progress.clear();
  const sorted = byCost(rows);
  process.stdout.write(command.json ? `${JSON.stringify(sorted, null, 2)}\n` : costTable(sorted));
  return rows.every((row) => row.ok) ? 0 : 1;
}
