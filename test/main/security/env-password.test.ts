// Hole 5: MAILBOX2ICS_PASSWORD went to every account's server in `sync --config` and `serve`. It is
// scoped: MAILBOX2ICS_PASSWORD_<ACCOUNT> per account, the plain variable only for a one-account file,
// and an account's own keychain entry before it. Two fake servers record every byte they receive.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountPasswordEnv } from '../../../electron/core/secrets/account-password.ts';
import { credentialKey } from '../../../electron/core/secrets/credential-key.ts';
import { startProfileService } from '../../../electron/core/sync/profile-service.ts';
import { startRecordingImap, type RecordingImap } from '../../helpers/recording-imap.ts';
import { CLI_BIN, cliRunner } from '../../helpers/run-cli.ts';

const GENERIC = 'generic-env-pw-9f';
let work: RecordingImap;
let home: RecordingImap;
let dir: string;
const cli = cliRunner(() => dir);

const account = (s: RecordingImap) => ({ host: s.host, port: s.port, security: 'plaintext' as const, username: 'alice' });
function writeConfig(accounts: Record<string, RecordingImap>): string {
  const file = path.join(dir, `config-${Object.keys(accounts).join('-')}.json`);
  writeFileSync(file, JSON.stringify({
    version: 1,
    accounts: Object.fromEntries(Object.entries(accounts).map(([n, s]) => [n, account(s)])),
    profiles: Object.fromEntries(Object.keys(accounts).map((n) => [`p-${n}`, { account: n, folders: ['INBOX'], output: `${n}.ics`, schedule: { intervalMinutes: 60 } }])),
  }));
  return file;
}

beforeEach(async () => {
  work = await startRecordingImap();
  home = await startRecordingImap();
  dir = mkdtempSync(path.join(tmpdir(), 'm2i-envpw-'));
});
afterEach(async () => {
  await Promise.all([work?.close(), home?.close()]);
});

describe('MAILBOX2ICS_PASSWORD is scoped to one account', () => {
  it('names the variable per account: upper case, anything but A-Z and 0-9 as "_"', () => {
    expect(accountPasswordEnv('work')).toBe('MAILBOX2ICS_PASSWORD_WORK');
    expect(accountPasswordEnv('team.mail-2')).toBe('MAILBOX2ICS_PASSWORD_TEAM_MAIL_2');
  });

  it('sync --config with two accounts: the plain variable goes to neither server', async () => {
    const r = await cli(['sync', '--config', writeConfig({ work, home })], { MAILBOX2ICS_PASSWORD: GENERIC });
    expect(r.code).toBe(2);
    for (const n of ['work', 'home']) {
      expect(r.stderr).toContain(`profile p-${n}: No password for the account "${n}" (alice@127.0.0.1): set MAILBOX2ICS_PASSWORD_${n.toUpperCase()}`);
    }
    expect(r.stderr).toContain('MAILBOX2ICS_PASSWORD is set but not used: the configuration has 2 accounts');
    expect(work.connections() + home.connections()).toBe(0);
    expect(work.sawSecret(GENERIC) || home.sawSecret(GENERIC)).toBe(false);
  });

  it('sync --config: each MAILBOX2ICS_PASSWORD_<ACCOUNT> reaches only its own server', async () => {
    const r = await cli(['sync', '--config', writeConfig({ work, home })], { MAILBOX2ICS_PASSWORD: GENERIC, MAILBOX2ICS_PASSWORD_WORK: 'only-for-work' });
    expect(r.code).toBe(3); // work: the fake rejects the login; home: no password (2); the worst wins
    expect(r.stderr).toMatch(/profile p-work: Login as "alice" was rejected/);
    expect(r.stderr).toContain('profile p-home: No password for the account "home"');
    expect(work.sawSecret('only-for-work')).toBe(true);
    expect(home.connections()).toBe(0);
    expect(home.sawSecret('only-for-work') || home.sawSecret(GENERIC) || work.sawSecret(GENERIC)).toBe(false);
  });

  it('a one-account configuration still takes the plain variable', async () => {
    const r = await cli(['sync', '--config', writeConfig({ work })], { MAILBOX2ICS_PASSWORD: GENERIC });
    expect(r.stderr).toMatch(/Login as "alice" was rejected/);
    expect(work.sawSecret(GENERIC)).toBe(true);
  });

  it('serve with two accounts: the plain variable goes to neither server', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'serve', '--config', writeConfig({ work, home }), '--no-cache'], {
      env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', MAILBOX2ICS_PASSWORD: GENERIC },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await expect.poll(() => stderr.match(/FAILED.*No password for the account/g)?.length ?? 0, { timeout: 30_000 }).toBe(2);
      expect(stderr).toContain('p-work: FAILED');
      expect(stderr).toContain('p-home: FAILED');
      // Still serving (no feed keeps it alive: the schedule does), and it stops cleanly.
      expect(child.exitCode).toBe(null);
    } finally {
      const exited = child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(work.connections() + home.connections()).toBe(0);
  });

  it('an account\'s own keychain entry comes before the plain variable', async () => {
    const file = writeConfig({ work });
    const keychain = new Map([[credentialKey(account(work)), 'from-the-keychain']]);
    const svc = await startProfileService({
      configFile: file,
      openSecrets: async () => ({ get: async (k) => keychain.get(k) ?? null, set: async () => {}, delete: async () => false }),
      env: { MAILBOX2ICS_PASSWORD: GENERIC },
      log: () => {},
    });
    try {
      await expect.poll(() => work.sawSecret('from-the-keychain'), { timeout: 30_000 }).toBe(true);
    } finally {
      await svc.stop();
    }
    expect(work.sawSecret(GENERIC)).toBe(false);
  });
});
