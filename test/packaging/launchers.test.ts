// The command-line launchers and the .deb scripts: the launcher passes every argument unchanged to the
// app binary in CLI mode (through /usr/bin-style links, in the Linux and macOS layouts) and returns its
// exit code; the .deb scripts keep electron-builder's own steps and link /usr/bin/mailbox2ics to it.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_SWITCH } from '../../electron/main/cli-mode.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LAUNCHER = path.join(ROOT, 'packaging', 'bin', 'mailbox2ics');
const dir = mkdtempSync(path.join(tmpdir(), 'launchers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in app binary: prints its arguments as JSON and exits with $FAKE_EXIT. */
function fakeApp(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)));\nprocess.exit(Number(process.env.FAKE_EXIT ?? 0));\n`);
  chmodSync(file, 0o755);
}

function install(layout: 'linux' | 'mac', name: string = layout): string {
  const base = path.join(dir, name);
  const bin = layout === 'linux' ? path.join(base, 'opt', 'mailbox2ics', 'resources', 'bin') : path.join(base, 'mailbox2ics.app', 'Contents', 'Resources', 'bin');
  fakeApp(layout === 'linux' ? path.join(base, 'opt', 'mailbox2ics', 'mailbox2ics') : path.join(base, 'mailbox2ics.app', 'Contents', 'MacOS', 'mailbox2ics'));
  mkdirSync(bin, { recursive: true });
  copyFileSync(LAUNCHER, path.join(bin, 'mailbox2ics'));
  chmodSync(path.join(bin, 'mailbox2ics'), 0o755);
  // /usr/bin/mailbox2ics → /etc/alternatives/mailbox2ics → the launcher, as update-alternatives makes it.
  mkdirSync(path.join(base, 'etc', 'alternatives'), { recursive: true });
  mkdirSync(path.join(base, 'usr', 'bin'), { recursive: true });
  symlinkSync(path.join(bin, 'mailbox2ics'), path.join(base, 'etc', 'alternatives', 'mailbox2ics'));
  symlinkSync('../../etc/alternatives/mailbox2ics', path.join(base, 'usr', 'bin', 'mailbox2ics'));
  return path.join(base, 'usr', 'bin', 'mailbox2ics');
}

const AWKWARD = ['-o', '/tmp/a b/team.ics', '--match', 'summary=glob:*stand up*', '', '--', '$HOME', '"quoted"', 'Public Folders/Events'];

describe('CLI launcher', () => {
  for (const layout of ['linux', 'mac'] as const) {
    it(`${layout}: runs the app binary with ${CLI_SWITCH} -- and every argument unchanged, through the links`, () => {
      const cmd = install(layout);
      const out = execFileSync('/bin/sh', [cmd, ...AWKWARD], { encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual([CLI_SWITCH, '--', ...AWKWARD]);
      // Run directly, as the kernel runs it from PATH (its #! line).
      expect(JSON.parse(execFileSync(cmd, ['--version'], { encoding: 'utf8' }))).toEqual([CLI_SWITCH, '--', '--version']);
    });
  }

  it('returns the command\'s exit code', () => {
    const cmd = install('linux', 'linux-exit');
    const r = spawnSync(cmd, ['x'], { encoding: 'utf8', env: { ...process.env, FAKE_EXIT: '4' } });
    expect(r.status).toBe(4);
  });

  it('says so when the app is not where it should be', () => {
    const lonely = path.join(dir, 'lonely', 'bin');
    mkdirSync(lonely, { recursive: true });
    copyFileSync(LAUNCHER, path.join(lonely, 'mailbox2ics'));
    const r = spawnSync('/bin/sh', [path.join(lonely, 'mailbox2ics'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the app's executable was not found");
  });

  it('is POSIX sh (Debian\'s dash parses it) and the Windows one passes everything with the same switch', () => {
    execFileSync('/bin/sh', ['-n', LAUNCHER]);
    const cmd = readFileSync(path.join(ROOT, 'packaging', 'bin', 'mailbox2ics.cmd'), 'latin1');
    expect(cmd).toContain(`"%~dp0..\\..\\mailbox2ics.exe" ${CLI_SWITCH} -- %*\r\n`);
    expect(cmd).toContain('exit /b %ERRORLEVEL%');
    expect(cmd.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
  });
});

describe('.deb scripts', () => {
  const require = createRequire(import.meta.url);
  const defaults = path.dirname(require.resolve('app-builder-lib/templates/linux/after-install.tpl'));
  // The same substitution electron-builder's FpmTarget applies (an unknown ${name} fails the build there).
  const render = (file: string) =>
    readFileSync(file, 'utf8').replace(/\${([a-zA-Z]+)}/g, (_m, name: string) => {
      const vars: Record<string, string> = { executable: 'mailbox2ics', sanitizedProductName: 'mailbox2ics', productFilename: 'mailbox2ics' };
      if (!(name in vars)) throw new Error(`Macro ${name} is not defined`);
      return vars[name];
    });

  for (const name of ['after-install', 'after-remove']) {
    it(`${name}: renders with electron-builder's macros and is valid bash`, () => {
      const text = render(path.join(ROOT, 'packaging', 'linux', `${name}.tpl`));
      const file = path.join(dir, `${name}.sh`);
      writeFileSync(file, text);
      execFileSync('bash', ['-n', file]);
    });
  }

  it('after-install links /usr/bin/mailbox2ics to the command line, not to the window app', () => {
    const text = render(path.join(ROOT, 'packaging', 'linux', 'after-install.tpl'));
    expect(text).toContain("cli='/opt/mailbox2ics/resources/bin/mailbox2ics'");
    expect(text).toContain(`update-alternatives --install '/usr/bin/mailbox2ics' 'mailbox2ics' "$cli" 100`);
    expect(text).not.toMatch(/--install '\/usr\/bin\/mailbox2ics' 'mailbox2ics' '\/opt\/mailbox2ics\/mailbox2ics'/);
  });

  it('after-install keeps every step of electron-builder\'s own script after the link (chrome-sandbox, desktop database, AppArmor)', () => {
    const ours = render(path.join(ROOT, 'packaging', 'linux', 'after-install.tpl'));
    const theirs = render(path.join(defaults, 'after-install.tpl'));
    const fromSandbox = theirs.slice(theirs.indexOf('# Check if user namespaces'));
    expect(fromSandbox.length).toBeGreaterThan(500);
    expect(ours).toContain(fromSandbox);
  });

  it('after-remove takes the command-line link and the AppArmor profile away', () => {
    const text = render(path.join(ROOT, 'packaging', 'linux', 'after-remove.tpl'));
    expect(text).toContain(`update-alternatives --remove 'mailbox2ics' "$cli"`);
    expect(text).toContain("APPARMOR_PROFILE_DEST='/etc/apparmor.d/mailbox2ics'");
  });
});
