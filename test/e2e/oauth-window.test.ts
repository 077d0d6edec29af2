// The window's OAuth2 sign-in end to end in Debian's Chromium: the built renderer with the window
// API served by the real AppService, main's "system browser" (the injected opener) played by a
// second Chromium that signs in at the real authorization server; then folders and a scan against
// Dovecot's oauth2 passdb. Cancel and denied consent are shown as such; no token reaches the page.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppService } from '../../electron/core/app/app-service.ts';
import { TokenManagers } from '../../electron/core/auth/token-managers.ts';
import { keychainTokenStore } from '../../electron/core/auth/token-store.ts';
import { fileTokenLock } from '../../electron/core/auth/token-lock.ts';
import type { SecretStore } from '../../electron/core/secrets/secret-store.ts';
import type { ServiceLike } from '../../electron/main/ipc-wiring.ts';
import { buildRenderer, chromiumAvailable, launchRenderer, type RunningApp } from '../helpers/renderer-harness.ts';
import { launchBrowserUser, type BrowserUser } from '../helpers/browser-user.ts';
import { startOAuthServer, NATIVE_CLIENT_ID, type OAuthServer } from '../helpers/oauth-server.ts';
import { startOAuthDovecot } from '../helpers/dovecot-oauth.ts';
import type { DovecotServer } from '../helpers/dovecot.ts';
import { scriptedDialogs } from '../helpers/scripted-dialogs.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';

const skip = !chromiumAvailable();

describe.skipIf(skip)('signing in from the window', () => {
  let as: OAuthServer;
  let dovecot: DovecotServer;
  let person: BrowserUser;
  let app: RunningApp;
  let dir: string;
  /** What the person does when main opens the browser. */
  let answer: 'Allow' | 'Deny' | 'ignore' = 'Allow';
  const opened: string[] = [];
  const items = new Map<string, string>();
  const store: SecretStore = { get: async (k) => items.get(k) ?? null, set: async (k, v) => void items.set(k, v), delete: async (k) => items.delete(k) };
  const dialogs = scriptedDialogs();

  beforeAll(async () => {
    buildRenderer();
    as = await startOAuthServer();
    dovecot = await startOAuthDovecot(as, 'introspection');
    dovecot.addMessage('Team', buildMail({ subject: 'Invitation: Sprint review', calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid: 'sprint@corp.example', summary: 'Sprint review', start: '20261126T100000Z' })) }] }));
    person = await launchBrowserUser();
    dir = mkdtempSync(path.join(tmpdir(), 'e2e-oauth-'));
    dialogs.caFile = path.join(dir, 'imap-ca.pem');
    writeFileSync(dialogs.caFile, dovecot.pki.caPem);
    const tokens = new TokenManagers(keychainTokenStore(async () => store), fileTokenLock(mkdtempSync(path.join(tmpdir(), 'm2i-lock-'))), as.pki.caPem);
    const service = new AppService({
      configFile: path.join(dir, 'config.json'), version: 'e2e', openSecrets: async () => store, tokens,
      dialogs: dialogs.dialogs, showItemInFolder: () => {}, emitProgress: (p) => void app?.emit('scan:progress', p),
      openExternal: async (url) => {
        opened.push(url);
        if (answer !== 'ignore') void person.signIn(url, 'alice@example.test', 'alice-pw', answer);
      },
    });
    app = await launchRenderer(service as unknown as ServiceLike);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await person?.close();
    await dovecot?.stop();
    await as?.stop();
  });

  it('fills the provider settings, waits for the browser, shows "Signed in as", then lists folders and scans', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Accounts' }).click();
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByLabel('Name', { exact: true }).fill('work');
    await page.getByLabel('Server', { exact: true }).fill(dovecot.host);
    await page.getByLabel('Port', { exact: true }).fill(String(dovecot.imapsPort));
    await page.getByRole('button', { name: 'Choose CA file…' }).click();
    await page.getByLabel('Other OAuth2 / OpenID provider').check();
    expect(await page.getByLabel('Password', { exact: true }).count()).toBe(0);
    await page.getByLabel('Issuer URL').fill(as.issuer);
    await page.getByLabel('Client id').fill(NATIVE_CLIENT_ID);
    await page.getByLabel('Scopes (optional)').fill('openid email offline_access imap');

    // First the person closes the tab: Cancel ends the wait, nothing is kept.
    answer = 'ignore';
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Waiting for you to sign in in your browser…' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('sign-in cancelled');
    expect(items.size).toBe(0);
    await page.getByRole('alert').getByRole('button').first().click();

    // Then denies consent at the provider.
    answer = 'Deny';
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('sign-in cancelled');
    expect(items.size).toBe(0);
    await page.getByRole('alert').getByRole('button').first().click();

    // Then signs in.
    answer = 'Allow';
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Signed in as alice@example.test' }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByLabel('User name', { exact: true }).inputValue()).toBe('alice@example.test');
    expect(opened.every((u) => u.startsWith(`${as.issuer}/auth?`))).toBe(true);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => existsSync(path.join(dir, 'config.json'))).toBe(true);
    await expect.poll(() => page.getByRole('list', { name: 'Accounts' }).textContent()).toContain('work');
    const cfg = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(cfg.accounts.work.auth).toMatchObject({ kind: 'oauth2', provider: 'generic', issuer: as.issuer, clientId: NATIVE_CLIENT_ID });

    // Folders and a scan through the sign-in, as the window does them.
    await page.getByRole('button', { name: 'Profiles and folders' }).click();
    await page.getByRole('button', { name: 'Add profile' }).click();
    await page.getByLabel('Profile name').fill('team');
    dialogs.savePath = path.join(dir, 'team.ics');
    await page.getByRole('button', { name: 'Choose calendar file…' }).click();
    await page.getByRole('button', { name: 'Choose folders' }).click();
    const tree = page.getByRole('tree', { name: 'Folders' });
    await expect.poll(() => tree.textContent()).toContain('Team');
    await page.getByRole('checkbox', { name: /^Team, 1 message/ }).check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText('Profile saved.').count()).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Sync now: team' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Calendar: team' }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.content(), { timeout: 30_000 }).toContain('Sprint review');

    // Nothing the page ever saw or holds is a token.
    const html = await page.content();
    const storage = await page.evaluate(() => { const g = globalThis as unknown as { localStorage: object; sessionStorage: object }; return JSON.stringify({ ...g.localStorage }) + JSON.stringify({ ...g.sessionStorage }); });
    for (const t of as.issued) {
      expect(html.includes(t)).toBe(false);
      expect(storage.includes(t)).toBe(false);
    }
    expect(app.pageErrors).toEqual([]);
  });

  it('a revoked sign-in makes the next scan say "sign in … again", naming the login command', async () => {
    const { page } = app;
    await as.revokeGrants('alice@example.test');
    await page.getByRole('button', { name: 'Profiles and folders' }).click();
    await page.getByRole('button', { name: 'Sync now: team' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent(), { timeout: 30_000 }).toMatch(/sign in to 127\.0\.0\.1:\d+ again \(mailbox2ics login --account work\)/);
    expect(items.has('oauth2:work')).toBe(false);
  });
});
