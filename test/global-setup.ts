// Vitest's global setup: builds the CLI bundle (dist-cli/) the bin runs, once per test run, so every
// CLI test runs the code as it is now, never a bundle older than the sources.
import path from 'node:path';

export default async function setup(): Promise<void> {
  const build = (await import(path.resolve(import.meta.dirname, '../electron/build.mjs'))) as { buildCli: (out?: string, logLevel?: string) => Promise<void> };
  await build.buildCli(undefined, 'silent');
}
