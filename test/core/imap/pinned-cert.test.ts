// Trusting one certificate by its SHA-256 fingerprint (pinning), against a real Dovecot whose
// certificate is signed by a throwaway CA the client does NOT trust.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTestPki } from '../../helpers/certs.ts';
import { tlsOptions } from '../../../electron/core/imap/tls-options.ts';
import { readCaFile } from '../../../electron/core/imap/ca-file.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { connectImap, disconnect, type ConnectOptions } from '../../../electron/core/imap/connect.ts';
import { listFolders } from '../../../electron/core/imap/folders.ts';
import { normalizeFingerprint } from '../../../electron/core/imap/pinned-transport.ts';

let server: DovecotServer;
let conn: ConnectOptions;

beforeAll(async () => {
  server = await startDovecot();
  server.createFolder('Calendar');
  conn = { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, password: server.password };
});
afterAll(async () => {
  await server?.stop();
});

const logins = () => readFileSync(server.logFile, 'utf8').split('\n').filter((l) => /imap-login: Info: Login: user=<alice>/.test(l)).length;

describe('pinned certificate', () => {
  it('normalizes the fingerprint forms people paste', () => {
    const fp = 'AB:'.repeat(31) + 'AB';
    expect(normalizeFingerprint(fp.toLowerCase())).toBe(fp);
    expect(normalizeFingerprint('sha256:' + fp.replace(/:/g, ''))).toBe(fp);
    expect(normalizeFingerprint('AB:CD')).toBeUndefined();
    expect(normalizeFingerprint('zz'.repeat(32))).toBeUndefined();
  });

  it('without trust the connection is refused; with the leaf pinned it connects over TLS and STARTTLS', async () => {
    expect((await connectImap(conn).catch((e) => e)).code).toBe('TLS_UNTRUSTED');
    for (const c of [conn, { ...conn, port: server.imapPort, security: 'starttls' as const }]) {
      const client = await connectImap({ ...c, pinnedFingerprint: server.pki.fingerprint256.toLowerCase() });
      try {
        expect((await listFolders(client)).map((f) => f.path)).toContain('Calendar');
      } finally {
        await disconnect(client);
      }
    }
    await server.waitForSessions(2);
    expect(logins()).toBe(2); // the log line this file counts is real: the two pinned logins
  });

  it('the pin is this certificate, whatever name the account uses for the host', async (ctx) => {
    if (!server.mismatchHost) ctx.skip();
    const client = await connectImap({ ...conn, host: server.mismatchHost!, pinnedFingerprint: server.pki.fingerprint256 });
    await disconnect(client);
  });

  it('a different certificate than the pinned one is refused before the password is sent', async () => {
    const before = logins();
    const wrong = 'AA:'.repeat(31) + 'AA';
    for (const c of [conn, { ...conn, port: server.imapPort, security: 'starttls' as const }]) {
      const err = await connectImap({ ...c, pinnedFingerprint: wrong }).catch((e) => e);
      expect(err.code).toBe('TLS_UNTRUSTED');
      expect(err.message).toContain('not the one you trusted');
      expect(err.message).toContain(server.pki.fingerprint256);
      expect(err.message).toContain(wrong);
    }
    expect(logins()).toBe(before);
  });

  it('a pin is exclusive: a certificate that a trusted CA signed, but not the pinned one, is refused before login', async () => {
    const before = logins();
    // Without the pin the CA file makes this server's certificate trusted ...
    await disconnect(await connectImap({ ...conn, caFile: server.pki.caFile }));
    await expect.poll(logins).toBe(before + 1);
    const trustedLogins = logins();
    // ... with a pin of another certificate it is not: the pin is the whole trust decision.
    const other = 'AA:'.repeat(31) + 'AA';
    for (const c of [conn, { ...conn, port: server.imapPort, security: 'starttls' as const }]) {
      const err = await connectImap({ ...c, caFile: server.pki.caFile, pinnedFingerprint: other }).catch((e) => e);
      expect(err.code).toBe('TLS_UNTRUSTED');
      expect(err.message).toContain('not the one you trusted');
    }
    expect(logins()).toBe(trustedLogins);
  });

  it('a CA file is parsed into one reused context, and a replaced file takes effect at once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ca-file-'));
    const caFile = path.join(dir, 'company-ca.pem');
    copyFileSync(server.pki.caFile, caFile);
    const first = tlsOptions({ caPem: await readCaFile(caFile) });
    expect(first.rejectUnauthorized).toBe(true);
    expect(first.secureContext).toBeDefined();
    expect(tlsOptions({ caPem: await readCaFile(caFile) }).secureContext).toBe(first.secureContext);
    const client = await connectImap({ ...conn, caFile });
    await disconnect(client);
    // The user replaces the file with another CA: the old trust must not linger in the reused context.
    writeFileSync(caFile, makeTestPki(path.join(dir, 'other')).caPem);
    expect(tlsOptions({ caPem: await readCaFile(caFile) }).secureContext).not.toBe(first.secureContext);
    const err = await connectImap({ ...conn, caFile }).catch((e) => e);
    expect(err.code).toBe('TLS_UNTRUSTED');
  });

  it("a CA file's trust stays in its own context: a bundle's every certificate counts, and nothing else in the process comes to trust them", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ca-bundle-'));
    const bundle = path.join(dir, 'bundle.pem');
    // Another CA first: every certificate of the file is read, not just the first.
    writeFileSync(bundle, makeTestPki(path.join(dir, 'other')).caPem + '\n' + readFileSync(server.pki.caFile, 'utf8'));
    const client = await connectImap({ ...conn, caFile: bundle });
    await disconnect(client);
    // Node's shared root store is not where the file's certificates went: a plain TLS connection in
    // this process, and an account without the file, still refuse the server.
    const plain = await new Promise<string>((resolve) => {
      const socket = tlsConnect({ host: server.host, port: server.imapsPort, servername: 'localhost' });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve('trusted');
      });
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(plain).not.toBe('trusted');
    expect(plain).toMatch(/CERT|CA|VERIFY|SIGNATURE/i);
    const err = await connectImap({ ...conn }).catch((e) => e);
    expect(err.code).toBe('TLS_UNTRUSTED');
  });
});
