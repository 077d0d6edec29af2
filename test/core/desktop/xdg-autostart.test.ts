// Start at login on Linux: the XDG autostart entry is written where the spec says, runs exactly the
// command given (checked by Debian's desktop-file-validate and by parsing the Exec line back), and goes away.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { autostartPath, desktopEntry, isAutostartEnabled, launchCommand, quoteExecArg, setAutostart } from '../../../electron/core/desktop/xdg-autostart.ts';

const dirs: string[] = [];
function home(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'autostart-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// desktop-file-validate (Debian's desktop-file-utils) is one of the test packages scripts/run-tests.sh installs.
function requireValidator(): void {
  if (spawnSync('desktop-file-validate', ['--help']).status !== 0) throw new Error('desktop-file-validate is missing: install desktop-file-utils (scripts/run-tests.sh does)');
}

/** The Exec line read back the way a desktop environment does: string escapes, then the quoting rules. */
function parseExec(value: string): string[] {
  const unescaped = value.replace(/\\(.)/g, (_m, c: string) => (c === '\\' ? '\\' : c === 's' ? ' ' : `\\${c}`)).replace(/%%/g, '%');
  const args: string[] = [];
  let i = 0;
  while (i < unescaped.length) {
    if (unescaped[i] === ' ') {
      i++;
      continue;
    }
    let arg = '';
    if (unescaped[i] === '"') {
      i++;
      while (unescaped[i] !== '"') {
        if (i >= unescaped.length) throw new Error('unterminated quote');
        if (unescaped[i] === '\\') i++;
        arg += unescaped[i++];
      }
      i++;
    } else {
      while (i < unescaped.length && unescaped[i] !== ' ') arg += unescaped[i++];
    }
    args.push(arg);
  }
  return args;
}

describe('XDG autostart entry', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, or ~/.config/autostart when it is unset or relative', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/a')).toBe('/x/cfg/autostart/mailbox2ics.desktop');
    expect(autostartPath({}, '/home/a')).toBe('/home/a/.config/autostart/mailbox2ics.desktop');
    expect(autostartPath({ XDG_CONFIG_HOME: '' }, '/home/a')).toBe('/home/a/.config/autostart/mailbox2ics.desktop');
    expect(autostartPath({ XDG_CONFIG_HOME: 'relative/cfg' }, '/home/a')).toBe('/home/a/.config/autostart/mailbox2ics.desktop');
  });

  it('runs the AppImage file, not its temporary mount; an unpackaged run passes the app folder', () => {
    const base = { execPath: '/tmp/.mount_mailbxAbC/mailbox2ics', isPackaged: true, appPath: '/tmp/.mount_mailbxAbC/resources/app.asar', extraArgs: ['--hidden'] };
    expect(launchCommand({ ...base, env: { APPIMAGE: '/home/a/Apps/mailbox2ics-0.1.0.AppImage' } })).toEqual({ exec: '/home/a/Apps/mailbox2ics-0.1.0.AppImage', args: ['--hidden'] });
    expect(launchCommand({ ...base, execPath: '/opt/mailbox2ics/mailbox2ics', env: {} })).toEqual({ exec: '/opt/mailbox2ics/mailbox2ics', args: ['--hidden'] });
    expect(launchCommand({ ...base, execPath: '/src/node_modules/electron/dist/electron', isPackaged: false, appPath: '/src', env: {} })).toEqual({ exec: '/src/node_modules/electron/dist/electron', args: ['/src', '--hidden'] });
  });

  it('writes an entry that starts hidden, and removes it again', () => {
    const h = home();
    const deps = { env: {}, home: h };
    expect(isAutostartEnabled(deps)).toBe(false);
    setAutostart(deps, true, { exec: '/opt/mailbox2ics/mailbox2ics', args: ['--hidden'] });
    const file = path.join(h, '.config', 'autostart', 'mailbox2ics.desktop');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\[Desktop Entry\]\n/);
    expect(text).toContain('\nType=Application\n');
    expect(text).toContain('\nExec=/opt/mailbox2ics/mailbox2ics --hidden\n');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(isAutostartEnabled(deps)).toBe(true);
    // Switching on twice is harmless: the same single file.
    setAutostart(deps, true, { exec: '/opt/mailbox2ics/mailbox2ics', args: ['--hidden'] });
    expect(readFileSync(file, 'utf8')).toBe(text);
    setAutostart(deps, false, { exec: '/opt/mailbox2ics/mailbox2ics', args: [] });
    expect(existsSync(file)).toBe(false);
    expect(isAutostartEnabled(deps)).toBe(false);
    // Switching off when it is already off is not an error.
    expect(() => setAutostart(deps, false, { exec: 'x', args: [] })).not.toThrow();
  });

  it('leaves every other autostart entry alone', () => {
    const h = home();
    const deps = { env: { XDG_CONFIG_HOME: path.join(h, 'cfg') }, home: h };
    setAutostart(deps, true, { exec: '/opt/mailbox2ics/mailbox2ics', args: [] });
    const other = path.join(h, 'cfg', 'autostart', 'other-app.desktop');
    writeFileSync(other, '[Desktop Entry]\nType=Application\nName=Other\nExec=other\n');
    setAutostart(deps, false, { exec: 'x', args: [] });
    expect(readFileSync(other, 'utf8')).toContain('Name=Other');
    expect(existsSync(path.join(h, 'cfg', 'autostart', 'mailbox2ics.desktop'))).toBe(false);
  });

  it('reads an entry that the desktop environment switched off as off', () => {
    const h = home();
    const deps = { env: {}, home: h };
    setAutostart(deps, true, { exec: '/opt/mailbox2ics/mailbox2ics', args: [] });
    const file = autostartPath({}, h);
    writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(isAutostartEnabled(deps)).toBe(false);
    writeFileSync(file, readFileSync(file, 'utf8') + 'Hidden=true\n');
    expect(isAutostartEnabled(deps)).toBe(false);
    // Switching on again writes our own entry back.
    setAutostart(deps, true, { exec: '/opt/mailbox2ics/mailbox2ics', args: [] });
    expect(isAutostartEnabled(deps)).toBe(true);
  });

  it('quotes paths with spaces, quotes, dollars, backslashes and percent signs so they come back unchanged', () => {
    const awkward = ['/home/a b/My Apps/mailbox2ics.AppImage', '/opt/it\'s "here"/$HOME/`x`/back\\slash/100%/m'];
    for (const exec of awkward) {
      const entry = desktopEntry({ exec, args: ['--hidden'] });
      const line = entry.split('\n').find((l) => l.startsWith('Exec='))!.slice('Exec='.length);
      expect(parseExec(line)).toEqual([exec, '--hidden']);
    }
    expect(quoteExecArg('/opt/mailbox2ics/mailbox2ics')).toBe('/opt/mailbox2ics/mailbox2ics');
    expect(quoteExecArg('')).toBe('""');
    expect(() => quoteExecArg('/a\nb')).toThrow(/line break/);
  });

  it('passes desktop-file-validate, also for an awkward path', () => {
    requireValidator();
    const h = home();
    for (const exec of ['/opt/mailbox2ics/mailbox2ics', '/home/a b/it\'s "$x"/100%/back\\slash.AppImage']) {
      setAutostart({ env: {}, home: h }, true, { exec, args: ['--hidden'] });
      // Exit 0 and no output: no errors, no warnings, no hints.
      const out = execFileSync('desktop-file-validate', [autostartPath({}, h)], { encoding: 'utf8' });
      expect(out).toBe('');
    }
  });

  it('desktop-file-validate would catch a broken entry (the check can fail)', () => {
    requireValidator();
    const h = home();
    const file = path.join(h, 'bad.desktop');
    writeFileSync(file, desktopEntry({ exec: '/opt/x', args: [] }).replace('Type=Application\n', ''));
    const r = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Type/);
  });
});
