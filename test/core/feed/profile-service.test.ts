// The service's feed side without any IMAP: tokens made once and saved, URLs served, a regenerated
// token replaces the old URL at once, LAN without a user name refused by the configuration.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProfileService } from '../../../electron/core/sync/profile-service.ts';

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo;
    s.close(() => resolve(port));
  });
});
const noSecrets = async () => ({ get: async () => null, set: async () => {}, delete: async () => false });

describe('profile service feed', () => {
  it('makes and saves tokens, serves them, and regenerates one on demand', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svc-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(path.join(dir, 'team.ics'), 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    writeFileSync(file, JSON.stringify({
      version: 1,
      accounts: { a: { host: 'imap.invalid', username: 'u' } },
      profiles: { team: { account: 'a', folders: ['X'], output: 'team.ics', schedule: { enabled: false } } },
      feed: { enabled: true, port: await freePort() },
    }));
    const logs: string[] = [];
    const svc = await startProfileService({ configFile: file, openSecrets: noSecrets, env: {}, log: (l) => logs.push(l) });
    try {
      const token = JSON.parse(readFileSync(file, 'utf8')).feed.tokens.team;
      expect(token).toMatch(/^[\w-]{24}$/);
      expect(svc.urls.team.http).toContain(`/${token}/team.ics`);
      expect(svc.urls.team.webcal).toMatch(/^webcal:\/\/127\.0\.0\.1:/);
      expect((await fetch(svc.urls.team.http)).status).toBe(200);
      const old = svc.urls.team.http;
      const fresh = await svc.regenerateToken('team');
      expect(fresh.http).not.toBe(old);
      expect((await fetch(old)).status).toBe(404);
      expect((await fetch(fresh.http)).status).toBe(200);
      expect(JSON.parse(readFileSync(file, 'utf8')).feed.tokens.team).not.toBe(token);
      expect(readFileSync(`${file}.bak`, 'utf8')).toContain(token);
      expect(svc.scheduler.statuses()).toEqual([{ name: 'team', state: 'disabled', failures: 0 }]);
    } finally {
      await svc.stop();
    }
  });

  it('refuses a LAN feed without a user name (a configuration problem with its path)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'svc-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ version: 1, feed: { enabled: true, listen: 'lan' } }));
    await expect(startProfileService({ configFile: file, openSecrets: noSecrets, env: {}, log: () => {} })).rejects.toThrow(/feed\.username: required when the feed listens on the LAN/);
  });
});
