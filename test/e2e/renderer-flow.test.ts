// End to end in Debian's Chromium: the built renderer, with window.mailbox2ics served by the real
// AppService (same IPC validation as main) against the real Dovecot. Add account → untrusted
// certificate → trust it → pick folders → scan with progress → preview (list, month) → export,
// asserting on the written file; cancel; 20,000 events. Screenshots go to test-output/screenshots.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { buildMail, vcal, vevent } from '../helpers/mail-builder.ts';
import { buildRenderer, chromiumAvailable, launchRenderer, type RunningApp } from '../helpers/renderer-harness.ts';
import { AppService } from '../../electron/core/app/app-service.ts';
import type { SecretStore } from '../../electron/core/secrets/secret-store.ts';
import { SyncCache } from '../../electron/core/store/cache.ts';
import type { ServiceLike } from '../../electron/main/ipc-wiring.ts';
import { credentialKey } from '../../electron/core/secrets/credential-key.ts';
import { scriptedDialogs } from '../helpers/scripted-dialogs.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../test-output/screenshots');
const XSS = '<img src=x onerror="document.title=\'pwned\'">';
const skip = !chromiumAvailable();
if (skip) process.stderr.write('SKIPPED renderer end-to-end tests: /usr/bin/chromium is missing (apt-get install -y chromium)\n');

let server: DovecotServer;
let proxy: FaultProxy;
let dir: string;
let app: RunningApp;
let cache: SyncCache;
// main's native dialogs, scripted: what the "user" picks when the window asks main to show one.
const dialogs = scriptedDialogs();
const secrets = new Map<string, string>();
const store: SecretStore = { get: async (k) => secrets.get(k) ?? null, set: async (k, v) => void secrets.set(k, v), delete: async (k) => secrets.delete(k) };
const cspViolations: string[] = [];

const invite = (uid: string, summary: string, start: string, extra: string[] = []) =>
  buildMail({ from: 'Boss <boss@corp.example>', subject: `Invitation: ${summary}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid, summary, start, end: start.replace('T10', 'T11'), extra })) }] });

function bulkCalendar(n: number): Buffer {
  const events = Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000);
    const s = d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    return vevent({ uid: `bulk-${i}@corp.example`, summary: `Bulk event ${String(i).padStart(5, '0')}`, start: s, end: s });
  });
  return buildMail({ subject: 'Published calendar', calendars: [{ method: 'PUBLISH', ics: vcal('PUBLISH', ...events) }] });
}

const shot = (name: string) => app.page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  if (skip) return;
  mkdirSync(SHOTS, { recursive: true });
  buildRenderer();
  server = await startDovecot();
  dir = mkdtempSync(path.join(tmpdir(), 'e2e-'));
  const d = server.delimiter;
  server.createFolder('Team');
  server.createFolder(`Team${d}Archive`);
  server.createFolder(`Public Folders${d}Big`);
  server.createFolder('Bulk');
  server.addMessage('Team', invite('standup@corp.example', 'Team standup', 'TZID=Europe/Berlin:20261123T100000', ['RRULE:FREQ=WEEKLY;COUNT=8', 'LOCATION:Room 4', 'DESCRIPTION:Daily sync.\\nBring notes.']));
  server.addMessage('Team', invite('review@corp.example', 'Quarterly review', '20261126T100000Z', ['ORGANIZER;CN=Carol Chief:mailto:carol@corp.example']));
  server.addMessage('Team', invite('xss@corp.example', XSS, '20261125T100000Z'));
  server.addMessage('Team', buildMail({ subject: 'Broken invitation', calendars: [{ ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x' }] }));
  for (let i = 0; i < 3000; i++) server.addMessage(`Public Folders${d}Big`, buildMail({ subject: `filler ${i}`, text: 'x'.repeat(2000) }));
  server.addMessage('Bulk', bulkCalendar(20_000));
  // The account goes through a proxy that can hold the server's answers: cancel is then tested mid-fetch.
  proxy = await startFaultProxy({ targetHost: server.host, targetPort: server.imapsPort });
  cache = new SyncCache(path.join(dir, 'cache.sqlite'));
  const service = new AppService({
    configFile: path.join(dir, 'config.json'), version: 'e2e', openSecrets: async () => store, cache,
    dialogs: dialogs.dialogs, showItemInFolder: () => {},
    emitProgress: (p) => void app?.emit('scan:progress', p),
  });
  app = await launchRenderer(service as unknown as ServiceLike);
  app.page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
}, 180_000);
afterAll(async () => {
  await app?.close();
  await proxy?.stop();
  cache?.close();
  await server?.stop();
});

describe.skipIf(skip)('the window in Chromium, served by the real core', () => {
  it('adds an account, shows the untrusted certificate, trusts exactly it and connects', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByLabel('Name', { exact: true }).fill('work');
    await page.getByLabel('Server', { exact: true }).fill(server.host);
    await page.getByLabel('Port', { exact: true }).fill(String(proxy.port));
    await page.getByLabel('User name', { exact: true }).fill(server.user);
    await page.getByLabel('Password', { exact: true }).fill(server.password);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('The server certificate is not trusted');
    expect(await alert.textContent()).toContain(server.pki.fingerprint256);
    expect(await alert.textContent()).not.toMatch(/ignore/i);
    expect(await alert.textContent()).toContain('mailbox2ics test CA');
    await shot('1-account-untrusted-certificate');
    await page.getByRole('button', { name: 'Trust this certificate' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Connected to' }).count()).toBe(1);
    // The password went to the keychain port (for exactly these settings), not into the configuration file.
    expect(secrets.get(credentialKey({ host: server.host, port: proxy.port, security: 'tls', username: server.user, pinnedFingerprint: server.pki.fingerprint256 }))).toBe(server.password);
    expect(dialogs.questions).toEqual([]); // a new account: nothing to confirm
    const cfg = readFileSync(path.join(dir, 'config.json'), 'utf8');
    expect(cfg).not.toContain(server.password);
    expect(JSON.parse(cfg).accounts.work.pinnedFingerprint).toBe(server.pki.fingerprint256);
    await shot('2-account-connected');
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Accounts' }).textContent()).toContain('password in keychain');
  });

  it('picks folders from the tree, scans with progress, previews (text stays text) and exports the file', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Profiles and folders' }).click();
    await page.getByRole('button', { name: 'Add profile' }).click();
    await page.getByLabel('Profile name').fill('team');
    dialogs.savePath = path.join(dir, 'team.ics');
    await page.getByRole('button', { name: 'Choose calendar file…' }).click();
    await expect.poll(() => page.getByLabel('Calendar file (.ics)').inputValue()).toBe(path.join(dir, 'team.ics'));
    await page.getByRole('button', { name: 'Choose folders' }).click();
    const tree = page.getByRole('tree', { name: 'Folders' });
    await expect.poll(() => tree.textContent()).toContain('Archive');
    await page.getByLabel('Filter folders').fill('team');
    expect(await tree.textContent()).not.toContain('Big');
    await page.getByRole('checkbox', { name: /^Team, 4 messages$/ }).check();
    await shot('3-folder-picker');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText('Profile saved.').count()).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();

    const before = app.calls.length;
    await page.getByRole('button', { name: 'Scan team now' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Preview: team' }).count(), { timeout: 30_000 }).toBe(1);
    expect(app.calls.slice(before)).toContain('scan:run');
    const status = await page.getByRole('status').filter({ hasText: 'events from' }).textContent();
    expect(status).toContain('3 events from 4 messages');
    expect(status).toContain('3 new');
    // Untrusted event text is shown literally and never becomes markup.
    await expect.poll(() => page.locator('.rows .cell', { hasText: XSS }).count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).toBe('mailbox2ics');
    await page.getByText('Skipped (1)').click();
    expect(await page.getByRole('list', { name: 'Skipped items' }).textContent()).toMatch(/Team UID 4 "Broken invitation": not valid iCalendar/);
    await page.getByText('Quarterly review').click();
    const details = page.getByRole('complementary', { name: 'Event details' });
    expect(await details.textContent()).toContain('Carol Chief');
    expect(await details.textContent()).toContain('Invitation: Quarterly review');
    expect(await details.textContent()).toContain('Team');
    // Search and keyboard.
    await page.getByLabel('Search', { exact: true }).fill('room 4');
    await expect.poll(() => page.getByText('1 shown').count()).toBe(1);
    await page.getByLabel('Search', { exact: true }).fill('');
    await shot('4-preview-list');
    await page.getByRole('radio', { name: 'Month' }).click();
    await expect.poll(() => page.locator('.occ').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.occ', { hasText: 'Team standup' }).count()).toBeGreaterThanOrEqual(2); // the series, expanded
    await shot('5-preview-month');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot('6-preview-month-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('radio', { name: 'List' }).click();

    dialogs.savePath = path.join(dir, 'exported', '..', 'export.ics');
    await page.getByRole('button', { name: 'Export .ics' }).click();
    await expect.poll(() => page.getByText('Saved to').count()).toBe(1);
    const written = readFileSync(path.join(dir, 'export.ics'), 'utf8');
    expect(written).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(written.match(/^BEGIN:VEVENT/gm)).toHaveLength(3);
    expect(written).toContain('SUMMARY:Quarterly review');
    expect(await page.getByRole('button', { name: 'Open folder' }).count()).toBe(1);
    await shot('7-exported');
  });

  it('cancelling a scan leaves the previous preview and files as they were', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Profiles and folders' }).click();
    await page.getByRole('button', { name: 'Edit team' }).click();
    await page.getByRole('button', { name: 'Choose folders' }).click();
    await page.getByRole('checkbox', { name: /Big, 3000 messages/ }).check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText('Profile saved.').count()).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Scan team now' }).click();
    const progress = page.getByRole('progressbar', { name: 'Scan progress' });
    await expect.poll(() => page.getByText(/Big \(folder 2 of 2\): [1-9]\d* \/ 3000 messages/).count(), { timeout: 30_000 }).toBe(1);
    proxy.hold(true); // the next batch is now in flight and stays there until cancel
    expect(await progress.count()).toBe(1);
    await shot('8-scan-progress');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByText('Scan cancelled; nothing was changed.').count(), { timeout: 10_000 }).toBe(1);
    proxy.hold(false);
    await page.getByRole('button', { name: /^Preview/ }).click();
    expect(await page.getByRole('status').filter({ hasText: 'events from' }).textContent()).toContain('3 events from 4 messages');
    expect(readFileSync(path.join(dir, 'export.ics'), 'utf8').match(/^BEGIN:VEVENT/gm)).toHaveLength(3);
  });

  it('20,000 events: only a window of rows exists, and the end of the list is reachable by keyboard', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Profiles and folders' }).click();
    await page.getByRole('button', { name: 'Add profile' }).click();
    await page.getByLabel('Profile name').fill('bulk');
    dialogs.savePath = path.join(dir, 'bulk.ics');
    await page.getByRole('button', { name: 'Choose calendar file…' }).click();
    await expect.poll(() => page.getByLabel('Calendar file (.ics)').inputValue()).toBe(path.join(dir, 'bulk.ics'));
    await page.getByRole('button', { name: 'Choose folders' }).click();
    await page.getByRole('checkbox', { name: /^Bulk, 1 messages$/ }).check();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText('Profile saved.').count()).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Scan bulk now' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Preview: bulk' }).count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByText('20000 shown').count()).toBe(1);
    const rows = page.locator('.rows .row');
    expect(await rows.count()).toBeLessThan(200);
    await page.getByRole('grid', { name: 'Events' }).locator('.rows').focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('.rows .row', { hasText: 'Bulk event 19999' }).count()).toBe(1);
    expect(await rows.count()).toBeLessThan(200);
    expect(await page.getByRole('complementary', { name: 'Event details' }).textContent()).toContain('Bulk event 19999');
    await shot('9-preview-20000');
  });

  it('no page errors and no CSP violations happened', () => {
    expect(app.pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
