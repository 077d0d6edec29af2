// Hole 8: files at rest. The cache (every invitation's text and sender) and the configuration must
// not be readable by other users: directories 0700 when created, files 0600, whatever the umask.
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { windowUnderTest } from '../../helpers/window-requests.ts';

const mode = (p: string) => statSync(p).mode & 0o777;
let server: DovecotServer;
let umask: number;

beforeAll(async () => {
  // The usual desktop umask: without explicit modes everything would be 0755/0644.
  umask = process.umask(0o022);
  server = await startDovecot();
  server.createFolder('Team');
  server.addMessage('Team', buildMail({ subject: 'Invitation', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: 'a@corp.example', summary: 'Private meeting' })) }] }));
}, 60_000);
afterAll(async () => {
  process.umask(umask);
  await server?.stop();
});

describe('files at rest are private', () => {
  it('the configuration: its directory 0700 when created, the file and its .bak 0600 (also over an older 0644 file)', async () => {
    const w = windowUnderTest();
    await w.ok('accounts:save', { name: 'work', account: { host: 'imap.example.com', username: 'alice' } });
    expect(mode(path.dirname(w.configFile))).toBe(0o700);
    expect(mode(w.configFile)).toBe(0o600);
    await w.ok('accounts:save', { name: 'home', account: { host: 'imap.example.org', username: 'alice' } });
    expect(mode(w.configFile)).toBe(0o600);
    expect(mode(`${w.configFile}.bak`)).toBe(0o600);

    const old = windowUnderTest();
    mkdirSync(path.dirname(old.configFile), { mode: 0o755 });
    writeFileSync(old.configFile, JSON.stringify({ version: 1, accounts: {}, profiles: {} }));
    chmodSync(old.configFile, 0o644);
    await old.ok('accounts:save', { name: 'work', account: { host: 'imap.example.com', username: 'alice' } });
    expect(mode(old.configFile)).toBe(0o600);
    expect(mode(`${old.configFile}.bak`)).toBe(0o600);
  });

  it('the cache: its directory 0700, the database and its -wal and -shm 0600 after a scan through the window', async () => {
    const w0 = windowUnderTest();
    const file = path.join(w0.dir, 'data', 'mailbox2ics', 'cache.sqlite');
    const cache = new SyncCache(file);
    try {
      const w = windowUnderTest({ cache });
      await w.ok('accounts:save', { name: 'work', account: { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, pinnedFingerprint: server.pki.fingerprint256 } });
      await w.ok('password:set', { name: 'work', password: server.password });
      w.dialogs.savePath = path.join(w.dir, 'team.ics');
      const out = await w.ok<{ token: string; path: string }>('dialog:choose-output', {});
      await w.ok('profiles:save', { name: 'team', profile: { account: 'work', folders: ['Team'], output: out.path }, outputChoice: out.token });
      await w.ok('scan:run', { scanId: 's1', profile: 'team' });
      expect(mode(path.dirname(file))).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        expect(existsSync(f)).toBe(true);
        expect(mode(f)).toBe(0o600);
      }
    } finally {
      cache.close();
    }
  });

  it('a database an earlier version left 0644 is made 0600 when opened', () => {
    const w = windowUnderTest();
    const file = path.join(w.dir, 'cache.sqlite');
    new SyncCache(file).close();
    chmodSync(file, 0o644);
    new SyncCache(file).close();
    expect(mode(file)).toBe(0o600);
  });
});
