// Checks the app that `npm run dist` packed, on the machine that packed it (the CI workflow's last step):
// its fuses are the ones packaging/after-pack.mjs sets, and its own command line (resources/bin launcher →
// app binary in CLI mode) turns the sample mailbox into the same calendar as the npm command.
// Usage: node scripts/check-packaged.mjs [INSTALLERS_DIR [REFERENCE.ics]]   (default dist/installers; the
// reference is the npm command's calendar, made before the native modules were rebuilt for Electron,
// when this Node can no longer load them). Exit 1 on any mismatch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getCurrentFuseWire } from '@electron/fuses';
import { ARCH, fuseConfig } from '../packaging/after-pack.mjs';

const root = path.resolve(import.meta.dirname, '..');

/** Where electron-builder leaves the unpacked app of each platform, and the launcher inside it. */
export function layout(dir, platform) {
  if (platform === 'darwin') {
    const app = path.join(dir, 'mac-universal', 'mailbox2ics.app');
    return { binary: app, arch: ARCH.universal, launcher: [path.join(app, 'Contents', 'Resources', 'bin', 'mailbox2ics')] };
  }
  if (platform === 'win32') {
    const base = path.join(dir, 'win-unpacked');
    const cmd = path.join(base, 'resources', 'bin', 'mailbox2ics.cmd');
    return { binary: path.join(base, 'mailbox2ics.exe'), arch: ARCH.x64, launcher: [process.env.ComSpec ?? 'cmd.exe', '/d', '/c', cmd] };
  }
  const base = path.join(dir, 'linux-unpacked');
  return { binary: path.join(base, 'mailbox2ics'), arch: ARCH.x64, launcher: [path.join(base, 'resources', 'bin', 'mailbox2ics')] };
}

export async function checkPackaged(dir, { platform = process.platform, reference, say = (m) => process.stdout.write(m + '\n') } = {}) {
  const problems = [];
  const where = layout(dir, platform);
  const wire = await getCurrentFuseWire(where.binary);
  const { version, resetAdHocDarwinSignature, ...want } = fuseConfig(platform, where.arch);
  for (const [fuse, on] of Object.entries(want)) {
    const expected = on ? 49 : 48; // '1' / '0', as Electron stores them
    if (wire[fuse] !== expected) problems.push(`fuse ${fuse} is ${String.fromCharCode(wire[fuse])}, expected ${on ? 'on' : 'off'}`);
  }
  say(`fuses: ${problems.length ? 'WRONG' : 'as configured'} (${Object.keys(want).length} checked)`);

  const tmp = mkdtempSync(path.join(tmpdir(), 'packaged-'));
  try {
    const run = (cmd, args) => spawnSync(cmd[0], [...cmd.slice(1), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const demo = ['--maildir', path.join(root, 'resources', 'sample-mailbox'), '-q', '-o'];
    const packed = run(where.launcher, [...demo, path.join(tmp, 'packaged.ics')]);
    const npm = reference ? { status: 0 } : run([process.execPath, path.join(root, 'electron', 'cli', 'bin.mjs')], [...demo, path.join(tmp, 'npm.ics')]);
    if (packed.status !== 0) problems.push(`the packaged command exited ${packed.status}: ${(packed.stderr || String(packed.error)).trim()}`);
    else if (npm.status !== 0) problems.push(`the npm command exited ${npm.status}: ${npm.stderr.trim()}`);
    else if (readFileSync(path.join(tmp, 'packaged.ics'), 'utf8') !== readFileSync(reference ?? path.join(tmp, 'npm.ics'), 'utf8')) problems.push('the packaged command wrote a different calendar than the npm command');
    else say('packaged command: the sample mailbox gives the same calendar as the npm command');
    const v = run(where.launcher, ['--version']);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    if (v.stdout.trim() !== `mailbox2ics ${pkg.version}`) problems.push(`--version said ${JSON.stringify(v.stdout.trim())}, expected "mailbox2ics ${pkg.version}"`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const p of problems) say(`PROBLEM: ${p}`);
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const reference = process.argv[3] ? path.resolve(process.argv[3]) : undefined;
  const problems = await checkPackaged(path.resolve(process.argv[2] ?? path.join(root, 'dist', 'installers')), { reference });
  process.exit(problems.length ? 1 : 0);
}
