// OAuth2 sign-in end to end against real parts: oidc-provider (https, throwaway CA), Chromium as
// the person, Dovecot with an oauth2 passdb, imapflow with the token. Covers browser sign-in,
// folders, silent refresh, revoked grant, denied consent, refresh-token reuse and wrong user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectImap, disconnect } from '../../../electron/core/imap/connect.ts';
import { listFolders } from '../../../electron/core/imap/folders.ts';
import { signIn } from '../../../electron/core/auth/sign-in.ts';
import { TokenManagers } from '../../../electron/core/auth/token-managers.ts';
import { keychainTokenStore } from '../../../electron/core/auth/token-store.ts';
import { fileTokenLock } from '../../../electron/core/auth/token-lock.ts';
import type { OAuthSettings } from '../../../electron/shared/config-schema.ts';
import { AppError } from '../../../electron/core/errors.ts';
import type { SecretStore } from '../../../electron/core/secrets/secret-store.ts';
import { startOAuthServer, NATIVE_CLIENT_ID, type OAuthServer } from '../../helpers/oauth-server.ts';
import { startOAuthDovecot } from '../../helpers/dovecot-oauth.ts';
import type { DovecotServer } from '../../helpers/dovecot.ts';
import { chromiumAvailable } from '../../helpers/renderer-harness.ts';
import { launchBrowserUser, type BrowserUser } from '../../helpers/browser-user.ts';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const memorySecrets = (): { store: SecretStore; items: Map<string, string> } => {
  const items = new Map<string, string>();
  return {
    items,
    store: { get: async (k) => items.get(k) ?? null, set: async (k, v) => void items.set(k, v), delete: async (k) => items.delete(k) },
  };
};

describe.skipIf(!chromiumAvailable())('OAuth2 sign-in with a real authorization server and Dovecot', () => {
  let as: OAuthServer;
  let dovecot: DovecotServer;
  let user: BrowserUser;
  let settings: OAuthSettings;

  beforeAll(async () => {
    as = await startOAuthServer({ accessTokenTtlS: 600 });
    dovecot = await startOAuthDovecot(as, 'introspection');
    dovecot.createFolder('Calendar');
    user = await launchBrowserUser();
    settings = { kind: 'oauth2', provider: 'generic', issuer: as.issuer, clientId: NATIVE_CLIENT_ID, scopes: ['openid', 'email', 'offline_access', 'imap'] };
  });
  afterAll(async () => {
    await user?.close();
    await dovecot?.stop();
    await as?.stop();
  });

  const setup = () => {
    const secrets = memorySecrets();
    const managers = new TokenManagers(keychainTokenStore(async () => secrets.store), fileTokenLock(mkdtempSync(path.join(os.tmpdir(), 'm2i-lock-'))), as.pki.caPem);
    return { secrets, managers };
  };
  const browserSignIn = (managers: TokenManagers, who = 'alice@example.test', pw = 'alice-pw', answer: 'Allow' | 'Deny' = 'Allow', expectedUser = 'alice@example.test') => {
    let page: Promise<string> | undefined;
    const done = signIn(managers, {
      accountName: 'work', settings, expectedUser, caPem: as.pki.caPem,
      method: { kind: 'browser', open: (url) => void (page = user.signIn(url, who, pw, answer)) },
    });
    return done.finally(() => page);
  };
  const imap = (token: string) => connectImap({ host: dovecot.host, port: dovecot.imapsPort, security: 'tls', username: 'alice@example.test', password: '', accessToken: token, caPem: dovecot.pki.caPem });

  it('signs in through the browser, keeps only the refresh token, and lists folders with the token', async () => {
    const { secrets, managers } = setup();
    const result = await browserSignIn(managers);
    expect(result.user).toBe('alice@example.test');
    const item = secrets.items.get('oauth2:work')!;
    const record = JSON.parse(item);
    expect(Object.keys(record).sort()).toEqual(['clientId', 'issuer', 'obtainedAt', 'refreshToken', 'scopes', 'user', 'v']);
    expect(record.issuer).toBe(as.issuer);
    const manager = managers.for('work', settings);
    const token = await manager.accessToken();
    expect(item).not.toContain(token);
    const client = await imap(token).catch((e) => {
      throw new Error(`${e.message}\n${readLog()}`);
    });
    try {
      expect((await listFolders(client)).map((f) => f.path)).toContain('Calendar');
    } finally {
      await disconnect(client);
    }
    expect(readLog()).toMatch(/Login: user=<alice@example\.test>, method=OAUTHBEARER/);
  });


  const rejects = async (p: Promise<unknown>): Promise<AppError> => {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  };
  const listWith = (manager: ReturnType<TokenManagers['for']>) => manager.withToken(async (t) => {
    const c = await imap(t);
    try {
      return (await listFolders(c)).map((f) => f.path);
    } finally {
      await disconnect(c);
    }
  });

  it('denied consent ends the sign-in as "sign-in cancelled" and keeps nothing', async () => {
    const { secrets, managers } = setup();
    const e = await rejects(browserSignIn(managers, 'alice@example.test', 'alice-pw', 'Deny'));
    expect(e.code).toBe('CANCELLED');
    expect(e.message).toBe('sign-in cancelled');
    expect(secrets.items.size).toBe(0);
  });

  it('refuses a sign-in as another user than the account\'s and keeps nothing', async () => {
    const { secrets, managers } = setup();
    const e = await rejects(browserSignIn(managers, 'bob@example.test', 'bob-pw'));
    expect(e.code).toBe('REFUSED');
    expect(e.message).toContain('as "bob@example.test"');
    expect(secrets.items.size).toBe(0);
  });

  it('a revoked grant gives REAUTH_REQUIRED after one refresh and one retry, and forgets the record', async () => {
    const { secrets, managers } = setup();
    await browserSignIn(managers);
    const manager = managers.for('work', settings);
    expect(await listWith(manager)).toContain('Calendar');
    const before = (readLog().match(/oauth2 failed/g) ?? []).length;
    await as.revokeGrants('alice@example.test');
    const e = await rejects(listWith(manager));
    expect(e.code).toBe('REAUTH_REQUIRED');
    expect(e.message).toMatch(/^sign in to 127\.0\.0\.1:\d+ again \(mailbox2ics login --account work\)/);
    expect(secrets.items.has('oauth2:work')).toBe(false);
    // One refused login, then the refresh failed: no second login with a dead grant, no loop.
    expect((readLog().match(/oauth2 failed/g) ?? []).length - before).toBe(1);
    // Afterwards nothing contacts the servers: the record is gone.
    expect((await rejects(listWith(manager))).code).toBe('REAUTH_REQUIRED');
    expect((readLog().match(/oauth2 failed/g) ?? []).length - before).toBe(1);
  });

  it('a reused (stale) refresh token kills the grant: REAUTH_REQUIRED, not a loop', async () => {
    const { secrets, managers } = setup();
    await browserSignIn(managers);
    const stale = secrets.items.get('oauth2:work')!;
    const manager = managers.for('work', settings);
    await manager.refresh();
    const rotated = secrets.items.get('oauth2:work')!;
    expect(JSON.parse(rotated).refreshToken).not.toBe(JSON.parse(stale).refreshToken);
    // As if a backup of the keychain, or a process without the lock, brought the old token back.
    secrets.items.set('oauth2:work', stale);
    expect((await rejects(manager.refresh())).code).toBe('REAUTH_REQUIRED');
    // The provider revoked the whole grant on reuse: the rotated token is dead too.
    secrets.items.set('oauth2:work', rotated);
    expect((await rejects(manager.refresh())).code).toBe('REAUTH_REQUIRED');
  });

  it('one refresh in flight per account, and the rotated token is saved before it is used', async () => {
    const { secrets, managers } = setup();
    await browserSignIn(managers);
    const manager = managers.for('work', settings);
    const first = JSON.parse(secrets.items.get('oauth2:work')!).refreshToken;
    const tokens = await Promise.all([manager.refresh(), manager.refresh(), manager.refresh()]);
    expect(new Set(tokens).size).toBe(1);
    // Three refreshes at once with rotation would have killed the grant (reuse); one did the work.
    const saved = JSON.parse(secrets.items.get('oauth2:work')!).refreshToken;
    expect(saved).not.toBe(first);
    expect(await listWith(manager)).toContain('Calendar');
  });

  it('a token for another mailbox user is refused twice (one refresh between), then REAUTH_REQUIRED: no loop', async () => {
    const { managers } = setup();
    await browserSignIn(managers);
    const manager = managers.for('work', settings);
    const attempts: string[] = [];
    const e = await rejects(manager.withToken(async (t) => {
      attempts.push(t);
      // Alice's token, but the IMAP user name is Bob's: Dovecot's username_attribute check refuses it.
      const c = await connectImap({ host: dovecot.host, port: dovecot.imapsPort, security: 'tls', username: 'bob@example.test', password: '', accessToken: t, caPem: dovecot.pki.caPem });
      await disconnect(c);
    }));
    expect(e.code).toBe('REAUTH_REQUIRED');
    expect(e.message).toContain('the mail server refused the sign-in of "bob@example.test"');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).not.toBe(attempts[1]);
  });

  it('two processes sharing one keychain item never refresh it at once (the lock), so rotation never looks like reuse', async () => {
    const { secrets, managers } = setup();
    await browserSignIn(managers);
    const lockDir = mkdtempSync(path.join(os.tmpdir(), 'm2i-lock-shared-'));
    // Two TokenManagers over the same item, as the app and a `sync` process would have.
    const app = new TokenManagers(keychainTokenStore(async () => secrets.store), fileTokenLock(lockDir), as.pki.caPem).for('work', settings);
    const cli = new TokenManagers(keychainTokenStore(async () => secrets.store), fileTokenLock(lockDir), as.pki.caPem).for('work', settings);
    const [a, b] = await Promise.all([app.refresh(), cli.refresh()]);
    expect(a).not.toBe(b);
    // Both refreshed one after the other with the then-current refresh token: the grant is alive.
    expect(await listWith(app)).toContain('Calendar');
    expect(await cli.refresh()).toBeTruthy();
  });

  it('takes over a lock whose owner is gone (a crashed process)', async () => {
    const lockDir = mkdtempSync(path.join(os.tmpdir(), 'm2i-lock-stale-'));
    const lock = fileTokenLock(lockDir, 2_000);
    const release = await lock('oauth2:x');
    const [file] = readdirSync(lockDir);
    release();
    // A lock file left by a process id that cannot be running.
    writeFileSync(path.join(lockDir, file), `999999999 ${Date.now()}`);
    const again = await lock('oauth2:x');
    again();
    expect(readdirSync(lockDir)).toEqual([]);
  });

  const readLog = () => readFileSync(dovecot.logFile, 'utf8');
});
