#!/usr/bin/env node
// Entry point of the headless `mailbox2ics` command: runs the prebuilt bundle (dist-cli/, made by
// `npm run build`) when it is there, else the TypeScript sources through tsx (development only).
import { existsSync, readFileSync } from 'node:fs';

const bundle = new URL('../../dist-cli/mailbox2ics.mjs', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
// MAILBOX2ICS_FROM_SOURCE=1 runs the sources even where a bundle was built (it may be older than they are).
const fromSource = process.env.MAILBOX2ICS_FROM_SOURCE === '1' || !existsSync(bundle);
let runCli;
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('./main.ts'));
} else {
  ({ runCli } = await import(bundle.href));
}
process.exitCode = await runCli(process.argv.slice(2), { version });
