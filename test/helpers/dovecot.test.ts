// Proves the test bed itself: a private Dovecot in both layouts, seeded folders, TLS trust, session stats, fault proxy.
// Raw IMAP only (no imapflow), so a harness bug cannot hide behind a client library.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from './dovecot.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { RawImap } from './raw-imap.ts';

const mail = (n: number) => `From: a@example.com\r\nTo: b@example.com\r\nSubject: Message ${n}\r\nDate: Mon, 05 Jan 2026 09:00:00 +0000\r\n\r\nBody ${n}\r\n`;

/** Running and not a zombie (nobody may reap the daemonized master in a container). */
function isAlive(pid: number): boolean {
  try {
    return !/\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe.each(['fs', 'maildir++'] as const)('Dovecot with layout %s', (layout) => {
  let server: DovecotServer;
  let d: string;
  const trusted = () => ({ host: server.host, port: server.imapsPort, ca: server.pki.caPem });
  const login = async () => {
    const c = await RawImap.connectTls(trusted());
    expect((await c.command(`LOGIN ${server.user} ${server.password}`)).status).toBe('OK');
    return c;
  };

  beforeAll(async () => {
    server = await startDovecot({ layout });
    d = server.delimiter;
    server.createFolder(`Work${d}Events`);
    server.createFolder(`Public Folders${d}Events`);
    server.createFolder('My Folder');
    for (let i = 1; i <= 3; i++) {
      server.addMessage(`Work${d}Events`, mail(i), { flags: i === 1 ? ['\\Seen', '\\Flagged'] : [], date: new Date(Date.UTC(2025, 0, i, 12)) });
      server.addMessage(`Public Folders${d}Events`, mail(i));
    }
    server.addMessage('INBOX', mail(9));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lists private, nested and public folders with the layout delimiter', async () => {
    expect(d).toBe(layout === 'fs' ? '/' : '.');
    const c = await login();
    const list = (await c.command('LIST "" "*"')).text;
    const q = (s: string) => `"${d}" ${s.includes(' ') ? `"${s}"` : s}\r\n`;
    expect(list).toContain(q(`Work${d}Events`));
    expect(list).toContain(q(`Public Folders${d}Events`));
    expect(list).toContain(q('My Folder'));
    expect(list).toMatch(/\(\\Noselect \\HasChildren\) "[./]" Work\r\n/);
    expect(list).toContain(q('INBOX'));
    expect((await c.command('NAMESPACE')).text).toContain(`(("" "${d}")) NIL (("Public Folders${d}" "${d}"))`);
    await c.close();
  });

  it('EXAMINE sees seeded messages with flags and INTERNALDATE, in seeding order', async () => {
    const c = await login();
    expect((await c.command(`EXAMINE "Work${d}Events"`)).text).toContain('* 3 EXISTS');
    const f = (await c.command('UID FETCH 1:* (FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])')).text;
    expect(f).toMatch(/\* 1 FETCH \(UID 1 FLAGS \(\\Flagged \\Seen[^)]*\) INTERNALDATE "01-Jan-2025 12:00:00 \+0000"/);
    expect(f.indexOf('Message 1')).toBeLessThan(f.indexOf('Message 2'));
    expect(f.indexOf('Message 2')).toBeLessThan(f.indexOf('Message 3'));
    expect((await c.command(`EXAMINE "Public Folders${d}Events"`)).text).toContain('* 3 EXISTS');
    expect((await c.command('SELECT INBOX')).text).toContain('* 1 EXISTS');
    await c.close();
  });

  it('removeMessageFile looks like an expunge by another client', async () => {
    server.createFolder('Scratch');
    for (let i = 1; i <= 3; i++) server.addMessage('Scratch', mail(i));
    server.removeMessageFile('Scratch', 1);
    const c = await login();
    const f = (await c.command('EXAMINE Scratch')).text;
    expect(f).toContain('* 2 EXISTS');
    expect((await c.command('UID FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])')).text).not.toContain('Message 2');
    server.removeMessageFile('Scratch', 'all');
    // STATUS on the selected mailbox answers from the session's view; a re-EXAMINE rescans the Maildir.
    expect((await c.command('EXAMINE Scratch')).text).toContain('* 0 EXISTS');
    await c.close();
  });

  it('logs bytes per session', async () => {
    const before = server.readSessionStats().sessions;
    const c = await login();
    await c.command(`EXAMINE "Work${d}Events"`);
    await c.command('FETCH 1:* BODY.PEEK[]');
    await c.close();
    // Sessions of earlier tests may be logged late, so look for this one's line rather than the last.
    let stats = await server.waitForSessions(before + 1);
    for (let i = 0; i < 100 && !stats.lines.some((l) => /body_count=3 /.test(l)); i++) {
      await new Promise((r) => setTimeout(r, 20));
      stats = server.readSessionStats();
    }
    expect(stats.lines.find((l) => /body_count=3 /.test(l))).toMatch(/Disconnected: Logged out in=\d+ out=\d+ .*body_count=3/);
    expect(stats.bytesOut).toBeGreaterThan(300);
    expect(stats.bytesIn).toBeGreaterThan(0);
  });
});

describe('TLS, STARTTLS and lifecycle', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await startDovecot();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the plain port offers STARTTLS, allows plaintext login, and upgrades with the test CA', async () => {
    const c = await RawImap.connectPlain(server.host, server.imapPort);
    expect(c.greeting).toContain('STARTTLS');
    expect((await c.starttls({ host: server.host, ca: server.pki.caPem })).status).toBe('OK');
    expect((await c.command(`LOGIN ${server.user} ${server.password}`)).status).toBe('OK');
    await c.close();
    const plain = await RawImap.connectPlain(server.host, server.imapPort);
    expect((await plain.command(`LOGIN ${server.user} ${server.password}`)).status).toBe('OK');
    expect((await plain.command(`LOGIN ${server.user} wrong`)).status).not.toBe('OK');
    await plain.close();
  });

  it('an untrusted connection fails with a certificate error naming no CA', async () => {
    const err = await RawImap.connectTls({ host: server.host, port: server.imapsPort }).catch((e) => e);
    expect(err.code).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('the other loopback address serves the same cert: a host-name mismatch', async (ctx) => {
    if (!server.mismatchHost) ctx.skip();
    const err = await RawImap.connectTls({ host: server.mismatchHost, port: server.imapsPort, ca: server.pki.caPem }).catch((e) => e);
    expect(err.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('a self-signed server is trusted through its own cert', async () => {
    const self = await startDovecot({ tls: 'self-signed', user: 'bob', password: 'pw with spaces' });
    try {
      const err = await RawImap.connectTls({ host: self.host, port: self.imapsPort }).catch((e) => e);
      expect(err.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      const c = await RawImap.connectTls({ host: self.host, port: self.imapsPort, ca: self.pki.caPem });
      expect((await c.command('LOGIN bob "pw with spaces"')).status).toBe('OK');
      await c.close();
    } finally {
      await self.stop();
    }
  });

  it('stop() ends the master process and removes the directory', async () => {
    const other = await startDovecot();
    expect(isAlive(other.pid)).toBe(true);
    await other.stop();
    expect(isAlive(other.pid)).toBe(false);
    expect(existsSync(other.rootDir)).toBe(false);
  });
});

describe('fault proxy', () => {
  let server: DovecotServer;
  beforeAll(async () => {
    server = await startDovecot();
    for (let i = 0; i < 5; i++) server.addMessage('INBOX', mail(i) + 'x'.repeat(5000));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('forwards, then cuts a connection after N server bytes; modes switch per connection', async () => {
    const proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapsPort });
    try {
      const tlsTo = () => RawImap.connectTls({ host: server.host, port: proxy.port, ca: server.pki.caPem });
      const ok = await tlsTo();
      expect((await ok.command(`LOGIN ${server.user} ${server.password}`)).status).toBe('OK');
      await ok.close();

      proxy.setMode({ dropAfterServerBytes: 4000 });
      const c = await tlsTo();
      await c.command(`LOGIN ${server.user} ${server.password}`);
      await c.command('EXAMINE INBOX');
      const err = await c.command('FETCH 1:* BODY.PEEK[]').catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(proxy.drops).toBe(1);
      expect(proxy.connections).toBe(2);
      expect(proxy.bytesFromServer).toBeGreaterThanOrEqual(4000);

      proxy.setMode({ dropAfterClientBytes: 10 });
      const early = await tlsTo().catch((e) => e);
      expect(early).toBeInstanceOf(Error); // the TLS ClientHello alone is more than 10 bytes
      expect(proxy.drops).toBe(2);
    } finally {
      await proxy.stop();
    }
  });

  it('can inject garbage into the server stream', async () => {
    const proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapPort, garbageAfterServerBytes: { after: 0, data: Buffer.from('* GARBAGE \u0000\r\n') } });
    try {
      const c = await RawImap.connectPlain(server.host, proxy.port);
      expect(c.greeting).toBe('* GARBAGE \u0000');
      await c.close();
    } finally {
      await proxy.stop();
    }
  });
});
