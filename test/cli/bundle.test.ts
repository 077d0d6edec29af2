// The bin runs the prebuilt bundle (dist-cli/, built by the test run's global setup and by `npm run
// build`): the same calendar as the sources through tsx, and `--version` without loading the command.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'electron', 'cli', 'bin.mjs');
const tmp = mkdtempSync(path.join(tmpdir(), 'cli-bundle-'));
// Inside the repository (git-ignored), so the bundle's external packages resolve from node_modules.
const OUT = path.join(ROOT, 'test-output', 'cli-bundle');
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string> = {}) =>
  execFileSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: tmp, TZ: 'UTC', ...env }, encoding: 'utf8' });

describe('the CLI bundle', () => {
  it('is what the bin runs, and gives the same calendar as the sources', () => {
    expect(existsSync(path.join(ROOT, 'dist-cli', 'mailbox2ics.mjs'))).toBe(true);
    const viaBundle = path.join(tmp, 'bundle.ics');
    const viaSource = path.join(tmp, 'source.ics');
    run(['--maildir', 'resources/sample-mailbox', '-q', '-o', viaBundle]);
    run(['--maildir', 'resources/sample-mailbox', '-q', '-o', viaSource], { MAILBOX2ICS_FROM_SOURCE: '1' });
    const a = readFileSync(viaBundle, 'utf8');
    expect(a).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(a.match(/BEGIN:VEVENT/g)!.length).toBeGreaterThan(5);
    expect(a).toBe(readFileSync(viaSource, 'utf8'));
  });

  it('prints the version of package.json from the bundle and from the sources', () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version'])).toBe(`mailbox2ics ${version}\n`);
    expect(run(['--version'], { MAILBOX2ICS_FROM_SOURCE: '1' })).toBe(`mailbox2ics ${version}\n`);
  });

  it('answers --version without loading the command: it works with the command chunks removed', async () => {
    const build = (await import(path.join(ROOT, 'electron', 'build.mjs'))) as { buildCli: (out: string, logLevel: string) => Promise<void> };
    await build.buildCli(OUT, 'silent');
    for (const f of readdirSync(OUT)) if (f !== 'mailbox2ics.mjs') rmSync(path.join(OUT, f));
    const runner = path.join(tmp, 'runner.mjs');
    writeFileSync(runner, `const { runCli } = await import(${JSON.stringify(pathToFileURL(path.join(OUT, 'mailbox2ics.mjs')).href)}); process.exitCode = await runCli(process.argv.slice(2), { version: '9.9.9' });`);
    const out = execFileSync(process.execPath, [runner, '--version'], { encoding: 'utf8' });
    expect(out).toBe('mailbox2ics 9.9.9\n');
    // Any other run needs the command: without its chunk it fails (so the check above is not vacuous).
    expect(() => execFileSync(process.execPath, [runner, '--help'], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/Cannot find module/);
  });
});
