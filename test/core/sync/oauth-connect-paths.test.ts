// Every connect path with an OAuth2 account, against the real authorization server and Dovecot:
// the schedule/serve service (synced, then a revoked grant: REAUTH_REQUIRED said once, the last
// good calendar kept, no further logins), the window's folder list, connection test and scan, and
// what renaming or removing an account does to its sign-in.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProfileService } from '../../../electron/core/sync/profile-service.ts';
import { AppService } from '../../../electron/core/app/app-service.ts';
import { ConnectionPool } from '../../../electron/core/imap/connection-pool.ts';
import { WorkerEngine } from '../../../electron/core/engine/worker-engine.ts';
import { signIn } from '../../../electron/core/auth/sign-in.ts';
import { openOAuthClient, refreshTokens } from '../../../electron/core/auth/oidc-client.ts';
import { TokenManagers } from '../../../electron/core/auth/token-managers.ts';
import { keychainTokenStore } from '../../../electron/core/auth/token-store.ts';
import { fileTokenLock } from '../../../electron/core/auth/token-lock.ts';
import type { Transition } from '../../../electron/core/schedule/scheduler.ts';
import type { SecretStore } from '../../../electron/core/secrets/secret-store.ts';
import type { OAuthSettings } from '../../../electron/shared/config-schema.ts';
import { notificationFor, statusLine } from '../../../electron/main/tray-menu.ts';
import { startOAuthServer, NATIVE_CLIENT_ID, type OAuthServer } from '../../helpers/oauth-server.ts';
import { startOAuthDovecot } from '../../helpers/dovecot-oauth.ts';
import type { DovecotServer } from '../../helpers/dovecot.ts';
import { chromiumAvailable } from '../../helpers/renderer-harness.ts';
import { launchBrowserUser, type BrowserUser } from '../../helpers/browser-user.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { scriptedDialogs } from '../../helpers/scripted-dialogs.ts';

describe.skipIf(!chromiumAvailable())('OAuth2 accounts on every connect path', () => {
  let as: OAuthServer;
  let dovecot: DovecotServer;
  let user: BrowserUser;
  let dir: string;
  let file: string;
  let settings: OAuthSettings;
  const items = new Map<string, string>();
  const store: SecretStore = { get: async (k) => items.get(k) ?? null, set: async (k, v) => void items.set(k, v), delete: async (k) => items.delete(k) };
  let tokens: TokenManagers;

  beforeAll(async () => {
    as = await startOAuthServer();
    dovecot = await startOAuthDovecot(as, 'introspection');
    dovecot.addMessage('Calendar', buildMail({ subject: 'Review', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: 'rev-1', summary: 'Review' })) }] }));
    user = await launchBrowserUser();
    dir = mkdtempSync(path.join(os.tmpdir(), 'm2i-oauth-paths-'));
    writeFileSync(path.join(dir, 'issuer-ca.pem'), as.pki.caPem);
    writeFileSync(path.join(dir, 'imap-ca.pem'), dovecot.pki.caPem);
    settings = { kind: 'oauth2', provider: 'generic', issuer: as.issuer, clientId: NATIVE_CLIENT_ID, scopes: ['openid', 'email', 'offline_access', 'imap'], issuerCaFile: 'issuer-ca.pem' };
    file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({
      version: 1,
      accounts: { work: { host: dovecot.host, port: dovecot.imapsPort, security: 'tls', username: 'alice@example.test', caFile: 'imap-ca.pem', auth: settings } },
      profiles: { work: { account: 'work', folders: ['Calendar'], output: 'work.ics', schedule: { enabled: false } } },
    }, null, 2));
    tokens = new TokenManagers(keychainTokenStore(async () => store), fileTokenLock(mkdtempSync(path.join(os.tmpdir(), 'm2i-lock-'))));
    let page: Promise<string> | undefined;
    await signIn(tokens, {
      accountName: 'work', settings: { ...settings, issuerCaFile: path.join(dir, 'issuer-ca.pem') }, expectedUser: 'alice@example.test',
      method: { kind: 'browser', open: (url) => void (page = user.signIn(url, 'alice@example.test', 'alice-pw')) },
    });
    await page;
  });
  afterAll(async () => {
    await user?.close();
    await dovecot?.stop();
    await as?.stop();
  });

  const logins = () => (readFileSync(dovecot.logFile, 'utf8').match(/Login: user=<alice@example\.test>/g) ?? []).length;

  it('the window lists folders, tests the connection and scans with the sign-in (no password anywhere)', async () => {
    const app = new AppService({
      configFile: file, version: '0.0.0-test', openSecrets: async () => store, tokens,
      dialogs: scriptedDialogs().dialogs, showItemInFolder: () => {}, emitProgress: () => {},
    });
    const folders = await app.listFolders({ name: 'work' });
    expect(folders.map((f: { path: string }) => f.path)).toContain('Calendar');
    const account = JSON.parse(readFileSync(file, 'utf8')).accounts.work;
    expect(await app.testConnection({ name: 'work', account })).toMatchObject({ server: `${dovecot.host}:${dovecot.imapsPort}` });
    // Other settings than the saved ones get no token.
    await expect(app.testConnection({ name: 'work', account: { ...account, host: 'localhost' } })).rejects.toMatchObject({ code: 'REFUSED' });
    const scan = await app.runScan({ scanId: 's1', profile: 'work' });
    expect(scan.events.map((e: { summary?: string }) => e.summary)).toContain('Review');
  });

  it('the schedule syncs, then says once that the account needs a new sign-in, keeps the calendar and stops logging in', async () => {
    const logs: string[] = [];
    const transitions: Transition[] = [];
    const pool = new ConnectionPool();
    const svc = await startProfileService({ configFile: file, openSecrets: async () => store, tokens, pool, env: {}, log: (l) => logs.push(l), onTransition: (t) => transitions.push(t) });
    try {
      expect(await svc.scheduler.runNow('work')).toMatchObject({ ok: true });
      const good = readFileSync(path.join(dir, 'work.ics'), 'utf8');
      expect(good).toMatch(/SUMMARY:Review/);
      await as.revokeGrants('alice@example.test');
      // A session logged in before the revocation stays usable until the pool retires it (Dovecot
      // checks the token at AUTHENTICATE only); the next login uses the token again.
      expect(pool.size).toBe(1);
      await pool.closeAll();
      const failed = await svc.scheduler.runNow('work');
      expect(failed).toMatchObject({ ok: false });
      expect((failed as { error: string }).error).toMatch(/^sign in to 127\.0\.0\.1:\d+ again \(mailbox2ics login --account work\)/);
      expect(readFileSync(path.join(dir, 'work.ics'), 'utf8')).toBe(good);
      expect(items.has('oauth2:work')).toBe(false);
      const after = logins();
      expect((await svc.scheduler.runNow('work')).ok).toBe(false);
      // The grant is gone: the next run contacts no server at all.
      expect(logins()).toBe(after);
      const failing = transitions.filter((t) => t.kind === 'failing');
      expect(failing).toHaveLength(1);
      expect(logs.filter((l) => /FAILED .*sign in to 127\.0\.0\.1:\d+ again \(mailbox2ics login --account work\)/.test(l))).toHaveLength(1);
      const note = notificationFor(failing[0], false)!;
      expect(note.title).toBe('mailbox2ics: work needs a new sign-in');
      expect(note.body).not.toMatch(/retry/);
      expect(statusLine(svc.scheduler.statuses()[0])).toMatch(/^Failed \d\d:\d\d: sign in to 127\.0\.0\.1:\d+ again/);
      for (const t of as.issued) for (const l of logs) expect(l.includes(t)).toBe(false);
    } finally {
      await svc.stop();
      await pool.closeAll();
    }
  });

  it('serve\'s worker-thread engine carries the token refusal across the thread: refresh, retry, then REAUTH_REQUIRED', async () => {
    let page: Promise<string> | undefined;
    await signIn(tokens, {
      accountName: 'work', settings: { ...settings, issuerCaFile: path.join(dir, 'issuer-ca.pem') }, expectedUser: 'alice@example.test',
      method: { kind: 'browser', open: (url) => void (page = user.signIn(url, 'alice@example.test', 'alice-pw')) },
    });
    await page;
    const engine = new WorkerEngine({});
    const logs: string[] = [];
    const svc = await startProfileService({ configFile: file, openSecrets: async () => store, tokens, engine, env: {}, log: (l) => logs.push(l) });
    try {
      expect(await svc.scheduler.runNow('work')).toMatchObject({ ok: true });
      // A newer access token (as after a refresh ahead of expiry): the worker's kept session is for
      // the old one, so the next run logs in again, with a token that is revoked by then.
      await tokens.for('work', { ...settings, issuerCaFile: path.join(dir, 'issuer-ca.pem') }).refresh();
      await as.revokeGrants('alice@example.test');
      const failed = await svc.scheduler.runNow('work');
      expect((failed as { error?: string }).error).toMatch(/^sign in to 127\.0\.0\.1:\d+ again \(mailbox2ics login --account work\)/);
      expect(logs.join('\n')).toMatch(/work: FAILED \(keeping the last good file; retrying with backoff\): sign in to 127\.0\.0\.1:\d+ again/);
    } finally {
      await svc.stop();
      await engine.close();
    }
  });

  it('a renamed account keeps its sign-in; a removed one leaves none behind (revoked at the provider)', async () => {
    let page: Promise<string> | undefined;
    await signIn(tokens, {
      accountName: 'work', settings: { ...settings, issuerCaFile: path.join(dir, 'issuer-ca.pem') }, expectedUser: 'alice@example.test',
      method: { kind: 'browser', open: (url) => void (page = user.signIn(url, 'alice@example.test', 'alice-pw')) },
    });
    await page;
    const app = new AppService({
      configFile: file, version: '0.0.0-test', openSecrets: async () => store, tokens,
      dialogs: scriptedDialogs().dialogs, showItemInFolder: () => {}, emitProgress: () => {},
    });
    const account = JSON.parse(readFileSync(file, 'utf8')).accounts.work;
    const refreshToken = JSON.parse(items.get('oauth2:work')!).refreshToken;
    expect(await app.saveAccount({ name: 'job', previousName: 'work', account })).toMatchObject({ name: 'job', hasPassword: true });
    expect([...items.keys()]).toEqual(['oauth2:job']);
    expect(await app.signInStatus({ name: 'job' })).toEqual({ signedIn: true, user: 'alice@example.test' });
    expect((await app.listFolders({ name: 'job' })).map((f: { path: string }) => f.path)).toContain('Calendar');
    await app.removeProfile({ name: 'work' });
    await app.removeAccount({ name: 'job' });
    expect(items.size).toBe(0);
    // Revoked at the provider: the refresh token no longer works there either.
    const client = await openOAuthClient({ ...settings, issuerCaFile: path.join(dir, 'issuer-ca.pem') });
    await expect(refreshTokens(client, refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});
