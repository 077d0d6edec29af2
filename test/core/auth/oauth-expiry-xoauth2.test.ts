// Access-token expiry and XOAUTH2: a Dovecot that validates RS256 JWT access tokens locally and
// offers only XOAUTH2 (imapflow prefers OAUTHBEARER when offered), tokens that live seconds. An
// expired token is refused by the server, then refreshed silently and the login retried once.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../electron/core/auth/sign-in.ts';
import { TokenManagers } from '../../../electron/core/auth/token-managers.ts';
import { keychainTokenStore } from '../../../electron/core/auth/token-store.ts';
import { fileTokenLock } from '../../../electron/core/auth/token-lock.ts';
import { connectImap, disconnect } from '../../../electron/core/imap/connect.ts';
import { listFolders } from '../../../electron/core/imap/folders.ts';
import type { OAuthSettings } from '../../../electron/shared/config-schema.ts';
import type { SecretStore } from '../../../electron/core/secrets/secret-store.ts';
import { startOAuthServer, NATIVE_CLIENT_ID, type OAuthServer } from '../../helpers/oauth-server.ts';
import { startOAuthDovecot } from '../../helpers/dovecot-oauth.ts';
import type { DovecotServer } from '../../helpers/dovecot.ts';
import { chromiumAvailable } from '../../helpers/renderer-harness.ts';
import { launchBrowserUser, type BrowserUser } from '../../helpers/browser-user.ts';

const TTL_S = 3;

describe.skipIf(!chromiumAvailable())('JWT access tokens, XOAUTH2 only, short lifetime', () => {
  let as: OAuthServer;
  let dovecot: DovecotServer;
  let user: BrowserUser;
  let settings: OAuthSettings;
  let clock = Date.now();
  const items = new Map<string, string>();
  const store: SecretStore = { get: async (k) => items.get(k) ?? null, set: async (k, v) => void items.set(k, v), delete: async (k) => items.delete(k) };
  let managers: TokenManagers;

  beforeAll(async () => {
    as = await startOAuthServer({ accessTokenFormat: 'jwt', accessTokenTtlS: TTL_S });
    dovecot = await startOAuthDovecot(as, 'local');
    dovecot.createFolder('Calendar');
    user = await launchBrowserUser();
    settings = { kind: 'oauth2', provider: 'generic', issuer: as.issuer, clientId: NATIVE_CLIENT_ID, scopes: ['openid', 'email', 'offline_access', 'imap'] };
    // The managers' clock is the test's: it decides when a token counts as "about to expire".
    managers = new TokenManagers(keychainTokenStore(async () => store), fileTokenLock(mkdtempSync(path.join(os.tmpdir(), 'm2i-lock-'))), as.pki.caPem, () => clock);
  });
  afterAll(async () => {
    await user?.close();
    await dovecot?.stop();
    await as?.stop();
  });

  const connect = (token: string) => connectImap({ host: dovecot.host, port: dovecot.imapsPort, security: 'tls', username: 'alice@example.test', password: '', accessToken: token, caPem: dovecot.pki.caPem });
  const list = (token: string) => connect(token).then(async (c) => {
    try {
      return (await listFolders(c)).map((f) => f.path);
    } finally {
      await disconnect(c);
    }
  });
  const log = () => readFileSync(dovecot.logFile, 'utf8');

  it('signs in, and logs in with XOAUTH2 against local JWT validation', async () => {
    clock = Date.now();
    let page: Promise<string> | undefined;
    await signIn(managers, { accountName: 'work', settings, expectedUser: 'alice@example.test', caPem: as.pki.caPem, method: { kind: 'browser', open: (url) => void (page = user.signIn(url, 'alice@example.test', 'alice-pw')) } });
    await page;
    const manager = managers.for('work', settings);
    const token = await manager.accessToken();
    expect(token.split('.')).toHaveLength(3);
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    expect(await list(token)).toContain('Calendar');
    expect(log()).toMatch(/Login: user=<alice@example\.test>, method=XOAUTH2/);
  });

  it('an expired token is refused, refreshed silently and the login retried once', async () => {
    const manager = managers.for('work', settings);
    // The manager still believes its token fresh (its clock stands still); the server does not.
    clock = Date.now();
    const stale = await manager.refresh();
    expect(await manager.accessToken()).toBe(stale);
    const expiresAt = JSON.parse(Buffer.from(stale.split('.')[1], 'base64url').toString()).exp * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 1_500));
    await expect(list(stale)).rejects.toMatchObject({ code: 'TOKEN_REJECTED' });
    const attempts: { token: string; outcome: string }[] = [];
    const folders = await manager.withToken((t) => list(t).then(
      (r) => (attempts.push({ token: t, outcome: 'ok' }), r),
      (e: { code?: string }) => {
        attempts.push({ token: t, outcome: e.code ?? 'error' });
        throw e;
      },
    ));
    expect(folders).toContain('Calendar');
    // Exactly: the stale token refused, one refresh, one retry that worked.
    expect(attempts.map((a) => a.outcome)).toEqual(['TOKEN_REJECTED', 'ok']);
    expect(attempts[0].token).toBe(stale);
    expect(attempts[1].token).not.toBe(stale);
    expect(await manager.accessToken()).toBe(attempts[1].token);
  });

  it('refreshes ahead of expiry without a refused login', async () => {
    const manager = managers.for('work', settings);
    const before = await manager.accessToken();
    clock = Date.now() + TTL_S * 1000; // well inside the refresh-ahead margin
    const after = await manager.accessToken();
    expect(after).not.toBe(before);
    // The new token works at once: no refused login was needed to find out.
    expect(await list(after)).toContain('Calendar');
  });
});
