// The profile service follows the configuration while it runs (as the tray app and `serve` must):
// a first-run setup gets its schedule and feed, profiles are (un)scheduled, account changes apply at
// the next run, feed tokens and routes follow; a run whose settings change under it is not written;
// and a failure after the file is written is not reported as a failed sync. Real Dovecot throughout.
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { AppConfig } from '../../../electron/core/app/app-config.ts';
import { startProfileService, type RunningService } from '../../../electron/core/sync/profile-service.ts';
import type { SecretStore } from '../../../electron/core/secrets/secret-store.ts';
import type { Account, Profile } from '../../../electron/shared/config-schema.ts';

let server: DovecotServer;
let proxy: FaultProxy;
const noSecrets: SecretStore = { get: async () => null, set: async () => {}, delete: async () => false };

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});
async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const uids = (file: string) => (existsSync(file) ? [...readFileSync(file, 'utf8').matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1]).sort() : []);
const invite = (uid: string) => buildMail({ subject: uid, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid, summary: uid })) }] });

beforeAll(async () => {
  server = await startDovecot();
  server.createFolder('Team');
  server.createFolder('Other');
  server.addMessage('Team', invite('team-1@corp.example'));
  server.addMessage('Team', invite('team-2@corp.example'));
  server.addMessage('Other', invite('other-1@corp.example'));
  proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapsPort });
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'live-config-'));
  const file = path.join(dir, 'mailbox2ics', 'config.json');
  const logs: string[] = [];
  return { dir, file, logs, log: (l: string) => logs.push(l) };
}
const account = (over: Partial<Account> = {}): Account => ({ host: server.host, port: server.imapsPort, security: 'tls', username: server.user, pinnedFingerprint: server.pki.fingerprint256, ...over });
const profile = (folders: string[], output: string): Profile => ({ account: 'local', folders, output, filters: {}, cancelled: 'remove', include: [], schedule: { enabled: true, intervalMinutes: 60, notifyChanges: false } });

describe('the service follows the configuration', () => {
  let svc: RunningService | undefined;
  afterAll(async () => svc?.stop());

  it('first run: no file at start; what the window saves is scheduled, synced and served at once', async () => {
    const { dir, file, log, logs } = setup();
    svc = await startProfileService({ configFile: file, openSecrets: async () => noSecrets, env: { MAILBOX2ICS_PASSWORD: server.password }, log, tolerateInvalidConfig: true });
    expect(svc.scheduler.statuses()).toEqual([]);
    const s = svc;
    const cfg = new AppConfig(file, () => void s.reload());
    const port = await freePort();
    await cfg.update((c) => {
      c.accounts.local = account();
      c.profiles.team = profile(['Team'], path.join(dir, 'team.ics'));
      c.feed = { enabled: true, port, listen: 'loopback', tokens: {} };
    });
    await until('team.ics', () => uids(path.join(dir, 'team.ics')).length === 2);
    expect(uids(path.join(dir, 'team.ics'))).toEqual(['team-1@corp.example', 'team-2@corp.example']);
    const url = await until('a feed URL', () => svc!.urls.team?.http);
    expect(url).toContain(`127.0.0.1:${port}/`);
    expect((await fetch(url)).status).toBe(200);
    // The token was made and saved once.
    expect(JSON.parse(readFileSync(file, 'utf8')).feed.tokens.team).toBe(url.split('/')[3]);

    // A profile added later: scheduled, synced, and its URL answers (not 500).
    await cfg.update((c) => {
      c.profiles.other = profile(['Other'], path.join(dir, 'other.ics'));
    });
    await until('other.ics', () => uids(path.join(dir, 'other.ics')).length === 1);
    const otherUrl = await until('the new URL', () => svc!.urls.other?.http);
    const other = await fetch(otherUrl);
    expect(other.status).toBe(200);
    expect(await other.text()).toContain('UID:other-1@corp.example');
    expect(svc.scheduler.statuses().map((x) => x.name).sort()).toEqual(['other', 'team']);

    // Removed: unscheduled at once, its URL gone, its file never written again.
    await cfg.update((c) => {
      delete c.profiles.other;
      delete c.feed!.tokens.other;
    });
    await until('other unscheduled', () => svc!.scheduler.statuses().every((x) => x.name !== 'other'));
    expect((await fetch(otherUrl)).status).toBe(404);
    expect(svc.urls.other).toBeUndefined();
    writeFileSync(path.join(dir, 'other.ics'), 'left alone');
    await svc.scheduler.runNow('other');
    expect(readFileSync(path.join(dir, 'other.ics'), 'utf8')).toBe('left alone');
    expect(logs.join('\n')).not.toMatch(/FAILED/);
  });

  it('an account switched from plain text to TLS uses TLS at the next run, without a restart', async () => {
    const { dir, file, log } = setup();
    const cfg = new AppConfig(file);
    await cfg.update((c) => {
      c.accounts.local = account({ security: 'plaintext', port: server.imapPort, pinnedFingerprint: undefined });
      c.profiles.team = profile(['Team'], path.join(dir, 'team.ics'));
    });
    const logins = () => readFileSync(server.logFile, 'utf8').split('\n').filter((l) => /imap-login: (?:Info: )?Login: user=/.test(l));
    const s = await startProfileService({ configFile: file, openSecrets: async () => noSecrets, env: { MAILBOX2ICS_PASSWORD: server.password }, log });
    try {
      const before = logins().length;
      expect(await s.scheduler.runNow('team')).toMatchObject({ ok: true });
      const plain = logins().slice(before);
      expect(plain).toHaveLength(1);
      expect(plain[0]).not.toMatch(/\bTLS\b/);
      await cfg.update((c) => {
        c.accounts.local = account({ security: 'tls' });
      });
      await s.reload();
      await s.scheduler.idle();
      const afterReload = logins().length;
      expect(await s.scheduler.runNow('team')).toMatchObject({ ok: true });
      const all = logins();
      // The reload itself re-synced the changed profile, and every login since then went over TLS.
      expect(all.length).toBeGreaterThan(before + 1);
      for (const l of all.slice(before + 1)) expect(l).toMatch(/\bTLS\b/);
      expect(all.length).toBeGreaterThanOrEqual(afterReload);
      expect(uids(path.join(dir, 'team.ics'))).toEqual(['team-1@corp.example', 'team-2@corp.example']);
    } finally {
      await s.stop();
    }
  });

  it('a broken file on disk keeps the last good settings, and says so once', async () => {
    const { dir, file, log, logs } = setup();
    const cfg = new AppConfig(file);
    await cfg.update((c) => {
      c.accounts.local = account();
      c.profiles.team = profile(['Team'], path.join(dir, 'team.ics'));
    });
    const s = await startProfileService({ configFile: file, openSecrets: async () => noSecrets, env: { MAILBOX2ICS_PASSWORD: server.password }, log, watchConfig: true });
    try {
      writeFileSync(file, '{ "version": 1, "accounts": ');
      await until('the problem logged', () => logs.some((l) => l.includes('keeping the last good settings')));
      await s.reload();
      expect(logs.filter((l) => l.includes('keeping the last good settings'))).toHaveLength(1);
      expect(s.scheduler.statuses().map((x) => x.name)).toEqual(['team']);
      // Fixed on disk (an editor, not the window): picked up by the watcher.
      await cfg.update(() => undefined).catch(() => undefined); // unreadable file: AppConfig refuses too
      writeFileSync(file, JSON.stringify({ version: 1, accounts: { local: account() }, profiles: { other: profile(['Other'], path.join(dir, 'other.ics')) } }));
      await until('the watcher applies the fixed file', () => s.scheduler.statuses().map((x) => x.name).join() === 'other');
      await until('other.ics', () => uids(path.join(dir, 'other.ics')).length === 1);
    } finally {
      await s.stop();
    }
  });

  it('a run whose settings change under it is not written; the new settings are synced instead', async () => {
    const { dir, file, log } = setup();
    const cfg = new AppConfig(file);
    await cfg.update((c) => {
      c.accounts.local = account({ host: '127.0.0.1', port: proxy.port });
      c.profiles.team = profile(['Team'], path.join(dir, 'team.ics'));
    });
    const s = await startProfileService({ configFile: file, openSecrets: async () => noSecrets, env: { MAILBOX2ICS_PASSWORD: server.password }, log });
    try {
      proxy.hold(true);
      const running = s.scheduler.runNow('team');
      await until('the run to reach the server', () => proxy.connections > 0);
      await cfg.update((c) => {
        c.profiles.team.folders = ['Other'];
      });
      await s.reload();
      proxy.hold(false);
      expect(await running).toMatchObject({ ok: true });
      expect(uids(path.join(dir, 'team.ics'))).toEqual(['other-1@corp.example']);
    } finally {
      proxy.hold(false);
      await s.stop();
    }
  });

  it('a failure after the file is written is reported as what it is, not as a failed sync', async () => {
    const { dir, file, log, logs } = setup();
    const cfg = new AppConfig(file);
    await cfg.update((c) => {
      c.accounts.local = account();
      c.profiles.team = profile(['Team'], path.join(dir, 'team.ics'));
    });
    const s = await startProfileService({
      configFile: file, openSecrets: async () => noSecrets, env: { MAILBOX2ICS_PASSWORD: server.password }, log,
      countChanges: () => {
        throw new Error('preview re-parse exploded');
      },
    });
    try {
      const out = await s.scheduler.runNow('team');
      expect(out).toMatchObject({ ok: true, summary: expect.stringContaining('changes since the last sync unknown') });
      expect(uids(path.join(dir, 'team.ics'))).toHaveLength(2);
      expect(s.scheduler.statuses()[0].failures).toBe(0);
      expect(logs.join('\n')).toContain('team: warning: the calendar was written, but what changed since the last sync could not be worked out: preview re-parse exploded');
      expect(logs.join('\n')).not.toMatch(/FAILED/);
    } finally {
      await s.stop();
    }
  });
});
