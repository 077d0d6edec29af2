// Runs the preview's occurrence expansion in a child process that is killed at a deadline, so a rule
// that would loop forever fails its test instead of stalling the whole suite. Test-only.
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { ExpandOptions } from '../../electron/core/preview/preview-events.ts';
import type { OccurrencesResult } from '../../electron/shared/ipc-contract.ts';

const CHILD = path.resolve(import.meta.dirname, 'expand-child.mjs');

/** Options cross as JSON: no clocks, and no Infinity (give step budgets with a huge maxMs). */
export function expandInChild(ics: string, from: Date, to: Date, opts: ExpandOptions, timeoutMs = 60_000): Promise<OccurrencesResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [CHILD], { env: { PATH: process.env.PATH, TZ: process.env.TZ }, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(err.killed ? `the expansion did not finish within ${timeoutMs} ms` : `the expansion failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as OccurrencesResult);
    });
    child.stdin!.end(JSON.stringify({ ics, from: from.toISOString(), to: to.toISOString(), opts }));
  });
}
