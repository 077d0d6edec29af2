// Hole 7: with a pin set, a certificate a trusted CA signed (a TLS-inspection proxy's) must not pass:
// "Trust this certificate" means that one and nothing else. The real Dovecot's log proves no login.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { windowUnderTest } from '../../helpers/window-requests.ts';

let server: DovecotServer;
const OTHER_PIN = 'AA:'.repeat(31) + 'AA';

beforeAll(async () => {
  server = await startDovecot();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

const logins = () => readFileSync(server.logFile, 'utf8').split('\n').filter((l) => /imap-login: Info: Login: user=<alice>/.test(l)).length;

describe('a pin is exclusive', () => {
  it('a CA-valid certificate that is not the pinned one is refused before the password is sent', async () => {
    const w = windowUnderTest();
    w.dialogs.caFile = server.pki.caFile; // the CA that signed the server's certificate: chain valid
    const ca = await w.ok<{ token: string }>('dialog:choose-ca-file', {});
    const account = { host: server.host, port: server.imapsPort, security: 'tls', username: server.user };
    // With only the CA the server is trusted: it logs in (the log line counted below is real).
    const before = logins();
    expect(await w.ok('connection:test', { account, caFileChoice: ca.token, password: server.password })).toMatchObject({ folders: expect.any(Number) });
    await expect.poll(logins).toBe(before + 1);

    for (const a of [{ ...account, pinnedFingerprint: OTHER_PIN }, { ...account, port: server.imapPort, security: 'starttls', pinnedFingerprint: OTHER_PIN }]) {
      const r = await w.send('connection:test', { account: a, caFileChoice: ca.token, password: server.password });
      expect(r).toMatchObject({ ok: false, error: { code: 'TLS_UNTRUSTED', message: expect.stringContaining('is not the one you trusted') } });
      if (!r.ok) expect(r.error.certificate?.fingerprint256).toBe(server.pki.fingerprint256);
    }
    // Saved that way, folders:list is refused the same way.
    await w.ok('accounts:save', { name: 'work', account: { ...account, pinnedFingerprint: OTHER_PIN }, caFileChoice: ca.token });
    await w.ok('password:set', { name: 'work', password: server.password });
    expect(await w.send('folders:list', { name: 'work' })).toMatchObject({ ok: false, error: { code: 'TLS_UNTRUSTED' } });
    expect(logins()).toBe(before + 1);
  });
});
