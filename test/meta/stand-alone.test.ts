// A clone stands on its own: no source, test or script reaches outside the repository; `npm ci` on an
// unsupported Node stops at once with npm's engine message; `npm start` without the Electron binary
// says what to do in one sentence; the set-up scripts work as root and through sudo.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const semver = createRequire(import.meta.url)('semver') as { satisfies: (v: string, r: string) => boolean };

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs|cjs|js|sh)$/.test(e.name) && !e.parentPath.includes('node_modules') && !e.parentPath.includes(`${path.sep}dist`))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('the repository stands alone', () => {
  it('no relative path in code, tests or scripts resolves outside the repository, and nothing names ../shared', () => {
    const outside: string[] = [];
    const files = ['electron', 'renderer', 'test', 'scripts', '.ci'].flatMap(sources);
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`$]*)['"`]/g)) {
        const target = path.resolve(path.dirname(f), m[1]);
        if (!target.startsWith(ROOT + path.sep) && target !== ROOT) outside.push(`${path.relative(ROOT, f)}: ${m[1]}`);
      }
      if (/\/work\/shared|shared\/fixtures/.test(text) && f !== path.join(ROOT, 'test/meta/stand-alone.test.ts')) outside.push(`${path.relative(ROOT, f)}: names shared/`);
    }
    expect(outside).toEqual([]);
    expect(existsSync(path.join(ROOT, 'test/fixtures/real/README.md'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'test/fixtures/real/LICENSES/MPL-2.0.txt'))).toBe(true);
  });

  it('package.json refuses Node 18 and npm enforces it before installing anything', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(semver.satisfies('18.20.4', pkg.engines.node)).toBe(false);
    expect(semver.satisfies('20.10.0', pkg.engines.node)).toBe(false); // Vite 8 and jsdom need 20.19
    expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true);
    expect(readFileSync(path.join(ROOT, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
    // The same package and .npmrc, with a range the running Node does not meet, stand in for an old Node.
    const dir = mkdtempSync(path.join(tmpdir(), 'engines-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, engines: { node: `>${process.versions.node}` } }));
    copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(dir, 'package-lock.json'));
    copyFileSync(path.join(ROOT, '.npmrc'), path.join(dir, '.npmrc'));
    const r = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } }).then(() => ({ code: 0, stderr: '' }), (e) => e as { code: number; stderr: string });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('EBADENGINE');
    expect(r.stderr).toContain('Not compatible with your version of node');
    expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
  });

  it('npm start without the Electron binary says what to do in one sentence, before building', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'no-electron-'));
    const r = await run(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty } }).then(() => ({ code: 0, stderr: '', stdout: '' }), (e) => e as { code: number; stderr: string; stdout: string });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('The Electron binary is not installed');
    expect(r.stderr).toContain('node node_modules/electron/install.js');
    expect(r.stderr).not.toContain('delete node_modules/electron');
    expect(r.stdout).toBe('');
  });
});

describe('set-up scripts', () => {
  // Stand-ins for id/dpkg-query/apt-get/sudo that record how they were called: the scripts cannot
  // really install packages inside a test, but which command they choose is what matters here.
  function fakeBin(uid: number, withSudo: boolean): { dir: string; log: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'fakebin-'));
    const log = path.join(dir, 'calls.log');
    const tool = (name: string, body: string) => {
      writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(path.join(dir, name), 0o755);
    };
    tool('id', `echo ${uid}`);
    tool('dpkg-query', 'exit 1');
    tool('apt-get', `echo "apt-get $*" >> ${log}`);
    if (withSudo) tool('sudo', `echo "sudo $1" >> ${log}; "$@"`);
    return { dir, log };
  }
  const apt = (bin: string) =>
    run('bash', ['-c', `. scripts/setup-common.sh; apt_install some-package`], { cwd: ROOT, env: { PATH: `${bin}:/usr/bin:/bin` } }).then(() => ({ code: 0, stderr: '' }), (e) => e as { code: number; stderr: string });

  it('installs as root without sudo, and through sudo otherwise', async () => {
    const root = fakeBin(0, false);
    expect((await apt(root.dir)).code).toBe(0);
    expect(readFileSync(root.log, 'utf8')).toMatch(/^apt-get update -qq\napt-get install -y -qq --no-install-recommends some-package\n$/);
    const user = fakeBin(1000, true);
    expect((await apt(user.dir)).code).toBe(0);
    expect(readFileSync(user.log, 'utf8')).toMatch(/^sudo env\napt-get update -qq\nsudo env\napt-get install .*some-package\n$/);
    const stuck = fakeBin(1000, false);
    const r = await apt(stuck.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('installing some-package needs root: run this as root, or install sudo');
  });

  it('an old Node is refused with the version it needs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'oldnode-'));
    writeFileSync(path.join(dir, 'node'), '#!/bin/sh\n[ "$1" = --version ] && echo v18.19.1 && exit 0\nexit 1\n');
    chmodSync(path.join(dir, 'node'), 0o755);
    const r = await run('bash', ['-c', '. scripts/setup-common.sh; need_node'], { cwd: ROOT, env: { PATH: `${dir}:/usr/bin:/bin` } }).then(() => ({ code: 0, stderr: '' }), (e) => e as { code: number; stderr: string });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Node.js v18.19.1 is too old or unsupported: mailbox2ics needs 20.19 or newer');
    expect(execFileSync('bash', ['-c', '. scripts/setup-common.sh; need_node && echo ok'], { cwd: ROOT }).toString()).toBe('ok\n');
  });
});
