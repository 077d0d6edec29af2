// What the bin's prebuilt bundle starts with: `--version` answered without loading anything, every
// other run loads the command (electron/cli/main.ts, a chunk of its own) first. Never parses other flags.
import type { CliIo } from './main.ts';

/** The same contract as main.ts's runCli; `version` comes from the bin (it knows where package.json is). */
export async function runCli(argv: string[], partial: Partial<CliIo> = {}): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version' && partial.version) {
    (partial.stdout ?? process.stdout).write(`mailbox2ics ${partial.version}\n`);
    return 0;
  }
  const main = await import('./main.ts');
  return main.runCli(argv, partial);
}
