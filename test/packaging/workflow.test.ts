// .github/workflows/desktop.yml: valid for GitHub Actions (action-validator, which checks it against
// SchemaStore's workflow schema plus GitHub's own rules), and it does what the desktop checks need.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FILE = path.join(ROOT, '.github', 'workflows', 'desktop.yml');
const text = readFileSync(FILE, 'utf8');
type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
const wf = parse(text) as { on: Record<string, unknown>; jobs: Record<string, { 'runs-on': string; strategy: { matrix: { include: Array<Record<string, string>> } }; steps: Step[]; env: Record<string, string> }> };
const job = wf.jobs.app;
const runs = job.steps.map((s) => s.run ?? '').join('\n');

describe('desktop workflow', () => {
  it('passes action-validator (its command line, as a developer would run it)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs'), FILE], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the validator can fail: a misspelled key or a job without runs-on is refused', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    expect(validateWorkflow(text.replace('runs-on: ${{ matrix.os }}', 'runs_on: ${{ matrix.os }}')).errors.length).toBeGreaterThan(0);
    expect(validateWorkflow(text.replace('    steps:\n', '    stepz:\n')).errors.length).toBeGreaterThan(0);
  });

  it('runs on hosted Ubuntu, macOS and Windows, each building its own installers', () => {
    const include = job.strategy.matrix.include;
    expect(include.map((m) => m.os.split('-')[0])).toEqual(['ubuntu', 'macos', 'windows']);
    expect(include.map((m) => m.dist)).toEqual(['--linux', '--mac', '--win']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
  });

  it('installs with the Electron binary and rebuilds the native modules for it', () => {
    expect(runs).toContain('npm ci');
    expect(text).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(runs).toContain('npm run --silent rebuild:electron');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['rebuild:electron']).toMatch(/electron-rebuild .*keytar,better-sqlite3/);
  });

  it('runs the Electron end-to-end test under Xvfb on Linux, and requires the binary (no silent skip)', () => {
    const e2e = job.steps.filter((s) => s.run?.includes('test/e2e/electron-app.test.ts'));
    expect(e2e).toHaveLength(2);
    expect(e2e.find((s) => s.if === "runner.os == 'Linux'")!.run).toMatch(/^xvfb-run -a /);
    expect(e2e.find((s) => s.if === "runner.os != 'Linux'")!.run).not.toContain('xvfb');
    expect(job.env.MAILBOX2ICS_REQUIRE_ELECTRON).toBe('1');
    expect(existsSync(path.join(ROOT, 'test', 'e2e', 'electron-app.test.ts'))).toBe(true);
    expect(readFileSync(path.join(ROOT, 'test', 'e2e', 'electron-app.test.ts'), 'utf8')).toContain('MAILBOX2ICS_REQUIRE_ELECTRON');
  });

  it('builds the installers, checks the packed app and keeps the installers as artifacts', () => {
    expect(runs).toContain('npx electron-builder ${{ matrix.dist }} --publish never');
    expect(runs).toContain('node scripts/check-packaged.mjs dist/installers "$RUNNER_TEMP/reference.ics"');
    // The reference calendar is made before the rebuild for Electron (after it, Node cannot load the modules).
    const order = (needle: string) => job.steps.findIndex((s) => s.run?.includes(needle));
    expect(order('reference.ics')).toBeLessThan(order('rebuild:electron'));
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(String(upload.with!.path).split('\n').filter(Boolean)).toEqual(['dist/installers/*.AppImage', 'dist/installers/*.deb', 'dist/installers/*.dmg', 'dist/installers/*.exe']);
    expect(upload.with!['if-no-files-found']).toBe('error');
  });
});
