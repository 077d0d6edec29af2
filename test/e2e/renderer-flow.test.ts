// End to end in Debian's Chromium: the built renderer, with window.mailbox2ics served by the real
// AppService (same IPC validation as main) against the real Dovecot. First run (account → untrusted
// certificate → trust → folders, calendar file, schedule → first sync) → the calendar (agenda, month,
// week, list) → occurrence details → "Save a copy…" → a re-sync with changes; cancel; 20,000 events.
// Every screen is captured at 1280x800 and 1024x640, light and dark, into test-output/screenshots,
// and checked by axe-core there: zero violations.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
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
const axeViolations: string[] = [];
const captured: string[] = [];

// Dates around today, so "upcoming from today" always has something to show (the page runs in Berlin).
const DAY = 86_400_000;
const now = new Date();
const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
const nextMonday = today + ((((8 - new Date(today).getUTCDay()) % 7) || 7) * DAY);
const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const STANDUP = nextMonday - 14 * DAY + 9 * 3_600_000; // two Mondays ago, 09:00 UTC
const UNTIL = nextMonday + 35 * DAY + 9 * 3_600_000; // eight Mondays in all
const REVIEW = today + 3 * DAY + 10 * 3_600_000;
const XSS_AT = today + 2 * DAY + 10 * 3_600_000;
const STANDUPS = Array.from({ length: 8 }, (_, i) => STANDUP + i * 7 * DAY);
const UPCOMING_STANDUPS = STANDUPS.filter((t) => t >= today);
const berlin = (ms: number, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { ...o, timeZone: 'Europe/Berlin' }).format(new Date(ms));

const invite = (uid: string, summary: string, start: number, extra: string[] = [], seq?: number) =>
  buildMail({ from: 'Boss <boss@corp.example>', subject: `Invitation: ${summary}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid, summary, start: stamp(start), end: stamp(start + 3_600_000), extra, sequence: seq })) }] });

function bulkCalendar(n: number): Buffer {
  const events = Array.from({ length: n }, (_, i) => {
    const s = stamp(Date.UTC(2026, 0, 1) + i * 3_600_000);
    return vevent({ uid: `bulk-${i}@corp.example`, summary: `Bulk event ${String(i).padStart(5, '0')}`, start: s, end: s });
  });
  return buildMail({ subject: 'Published calendar', calendars: [{ method: 'PUBLISH', ics: vcal('PUBLISH', ...events) }] });
}

const SIZES = [[1280, 800], [1024, 640]] as const;
/** One screen: a screenshot per size and theme, each checked by axe (violations collected, asserted at the end). */
async function capture(name: string) {
  const { page } = app;
  for (const [width, height] of SIZES) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      const file = `${name}-${width}x${height}-${scheme}.png`;
      await page.screenshot({ path: path.join(SHOTS, file) });
      captured.push(file);
      // Default rules, plus the one the issue saw among the experimental ones.
      const r = await new AxeBuilder({ page }).options({ rules: { 'label-content-name-mismatch': { enabled: true } } }).analyze();
      for (const v of r.violations) axeViolations.push(`${file}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n: { target: unknown[]; failureSummary?: string }) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`).join(' | ')}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

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
  server.addMessage('Team', invite('standup@corp.example', 'Team standup', STANDUP, [`RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=${stamp(UNTIL)}`, 'LOCATION:Room 4', 'DESCRIPTION:Daily sync.\\nBring notes.']));
  server.addMessage('Team', invite('review@corp.example', 'Quarterly review', REVIEW, [
    'ORGANIZER;CN=Carol Chief:mailto:carol@corp.example',
    'ATTENDEE;CN=Dana Doe;PARTSTAT=ACCEPTED:mailto:dana@corp.example',
    'ATTENDEE;PARTSTAT=DECLINED:mailto:eve@corp.example',
    'CATEGORIES:Planning',
    'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Reminder', 'TRIGGER:-PT15M', 'END:VALARM',
  ]));
  server.addMessage('Team', invite('xss@corp.example', XSS, XSS_AT));
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
  await app.page.setViewportSize({ width: 1280, height: 800 });
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

const config = () => JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
const vevents = (file: string) => readFileSync(file, 'utf8').match(/^BEGIN:VEVENT/gm)?.length ?? 0;

describe.skipIf(skip)('the window in Chromium, served by the real core', () => {
  it('first run, step 1: the account; the untrusted certificate in plain words; trusting exactly it connects', async () => {
    const { page } = app;
    await expect.poll(() => page.getByRole('heading', { name: 'Set up your calendar' }).count()).toBe(1);
    expect(await page.getByRole('list', { name: 'Setup steps' }).textContent()).toMatch(/1\s*Mail account.*2\s*Folders, file and schedule.*3\s*First sync/);
    await capture('01-first-run-account');
    await page.getByLabel('Name', { exact: true }).fill('work');
    await page.getByLabel('Server', { exact: true }).fill(server.host);
    await page.getByLabel('Port', { exact: true }).fill(String(proxy.port));
    await page.getByLabel('User name', { exact: true }).fill(server.user);
    await page.getByLabel('Password', { exact: true }).fill(server.password);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('The server certificate is not trusted');
    const text = (await alert.textContent())!;
    expect(text.split(server.pki.fingerprint256)).toHaveLength(2); // the fingerprint once
    expect(text).not.toMatch(/ignore|--ca-file|--pin-sha256/i);
    expect(text).toContain('mailbox2ics test CA');
    // "Trust this certificate" is in view at the small size too.
    await page.setViewportSize({ width: 1024, height: 640 });
    const box = await page.getByRole('button', { name: 'Trust this certificate' }).boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(640);
    await page.setViewportSize({ width: 1280, height: 800 });
    await capture('02-first-run-certificate');
    await page.getByRole('button', { name: 'Trust this certificate' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Connected to' }).count()).toBe(1);
    // The password went to the keychain port (for exactly these settings), not into the configuration file.
    expect(secrets.get(credentialKey({ host: server.host, port: proxy.port, security: 'tls', username: server.user, pinnedFingerprint: server.pki.fingerprint256 }))).toBe(server.password);
    expect(dialogs.questions).toEqual([]); // a new account: nothing to confirm
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).not.toContain(server.password);
    expect(config().accounts.work.pinnedFingerprint).toBe(server.pki.fingerprint256);
    await capture('03-first-run-connected');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
  });

  it('first run, step 2: folders from the tree, the calendar file from the save dialog, the schedule; step 3: the first sync', async () => {
    const { page } = app;
    await expect.poll(() => page.getByLabel('Profile name').count()).toBe(1);
    // Filters wait in a closed "Advanced" section; Save is in view.
    expect(await page.locator('details.advanced').getAttribute('open')).toBeNull();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText('Choose at least one folder.').count()).toBe(1);
    expect(await page.getByText('Choose where the calendar file is saved.').count()).toBe(1);
    await capture('04-first-run-profile-errors');
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
    await page.getByLabel('Every (minutes)').fill('30');
    await capture('05-first-run-folders');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sync now', exact: true }).count()).toBe(1);
    expect(config().profiles.team).toMatchObject({ output: path.join(dir, 'team.ics'), folders: ['Team'], schedule: { enabled: true, intervalMinutes: 30 } });
    await capture('06-first-run-ready');

    const before = app.calls.length;
    await page.getByRole('button', { name: 'Sync now', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Calendar: team' }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'events from' }).count(), { timeout: 30_000 }).toBe(1);
    expect(app.calls.slice(before)).toContain('scan:run');
    // Sync, not scan: the profile's own calendar file is written.
    expect(vevents(path.join(dir, 'team.ics'))).toBe(3);
    const status = await page.getByRole('status').filter({ hasText: 'events from' }).textContent();
    expect(status).toContain('3 events from 4 messages');
    expect(status).toContain('first sync');
    // No "New" badge on everything after a first sync.
    expect(await page.locator('.badge').count()).toBe(0);
    const strip = page.getByRole('region', { name: 'Sync status of team' });
    expect(await strip.textContent()).toMatch(/Last sync\s*\d{2}:\d{2}/);
    expect(await strip.textContent()).toContain('Sync every 30 minutes');
  });

  it('the calendar is home: the agenda from today, grouped by day; the clicked occurrence\'s details; text stays text', async () => {
    const { page } = app;
    const upcoming = page.getByRole('listbox', { name: 'Upcoming events' });
    await expect.poll(() => upcoming.getByRole('option').count()).toBeGreaterThanOrEqual(6);
    // The past is collapsed; upcoming starts today or later and is grouped by day.
    const past = STANDUPS.length - UPCOMING_STANDUPS.length;
    expect(await page.getByText(`Earlier (${past} event${past === 1 ? '' : 's'})`, { exact: true }).count()).toBe(1);
    const soonest = Math.min(UPCOMING_STANDUPS[0], XSS_AT, REVIEW);
    expect(await upcoming.getByRole('group').first().getAttribute('aria-label')).toBe(berlin(soonest, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }));
    expect(await upcoming.getByRole('option', { name: new RegExp(XSS.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).toBe('mailbox2ics');
    await capture('07-agenda');

    // The standup of next Monday (not the series start) by keyboard: focus, move, Enter.
    const nextStandup = upcoming.getByRole('option', { name: /Team standup/ }).first();
    await nextStandup.click();
    const details = page.getByRole('complementary', { name: 'Event details' });
    await expect.poll(() => details.count()).toBe(1);
    const d = (await details.textContent())!;
    expect(d).toContain(berlin(UPCOMING_STANDUPS[0], { dateStyle: 'medium' }));
    expect(d).toContain(`Every week on Monday, until ${berlin(UNTIL, { dateStyle: 'medium' })}`);
    expect(d).toContain(`Series starts${berlin(STANDUP, { dateStyle: 'medium' })}`);
    expect(d).toContain('Room 4');
    expect(d).toContain('Daily sync.\nBring notes.');
    await capture('08-details-occurrence');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => details.textContent()).not.toBe(d);

    await upcoming.getByRole('option', { name: /Quarterly review/ }).click();
    const r = (await details.textContent())!;
    for (const t of ['Carol Chief', 'Dana Doe', 'accepted', 'eve@corp.example', 'declined', '15 minutes before the start', 'Planning', 'Invitation: Quarterly review', 'boss@corp.example', 'Team']) expect(r).toContain(t);
    // Ids are secondary: inside the closed "Technical details".
    expect(await details.locator('details.technical').getAttribute('open')).toBeNull();
    await details.getByText('Technical details').click();
    expect(await details.locator('details.technical').textContent()).toContain('review@corp.example');
    await capture('09-details-attendees');
    await details.getByRole('button', { name: 'Close' }).click();

    await page.getByText('Skipped (1)').click();
    expect(await page.getByRole('list', { name: 'Skipped items' }).textContent()).toMatch(/Team UID 4 "Broken invitation": not valid iCalendar/);
  });

  it('month and week open on a period with events, move by keyboard, and jump to the next event; the list has the rest', async () => {
    const { page } = app;
    await page.getByRole('radio', { name: 'Month' }).click();
    await expect.poll(() => page.locator('.occ').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.occ', { hasText: 'Team standup' }).count()).toBeGreaterThanOrEqual(2); // the series, expanded
    // Roving focus: one day is in the tab order; arrows move it; chips are not tab stops.
    expect(await page.locator('[role="gridcell"][tabindex="0"]').count()).toBe(1);
    expect(await page.locator('.occ[tabindex="0"]').count()).toBe(0);
    await page.locator('[role="gridcell"][tabindex="0"]').focus();
    const label0 = await page.locator(':focus').textContent();
    await page.keyboard.press('ArrowRight');
    const label1 = await page.locator(':focus').textContent();
    expect(label1).not.toBe(label0);
    await capture('10-month');
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.getByRole('button', { name: 'Today' }).click();
    await expect.poll(() => page.locator('.occ').count()).toBeGreaterThanOrEqual(1);
    await page.getByRole('radio', { name: 'Week' }).click();
    await expect.poll(() => page.getByRole('gridcell').count()).toBe(7);
    await capture('11-week');
    await page.getByRole('radio', { name: 'List' }).click();
    await page.getByLabel('Search', { exact: true }).fill('room 4');
    await expect.poll(() => page.getByText('1 shown').count()).toBe(1);
    await page.getByLabel('Search', { exact: true }).fill('');
    await expect.poll(() => page.locator('.sizer .row').count()).toBe(3);
    await page.locator('.sizer .row', { hasText: 'Quarterly review' }).click();
    await capture('12-list');
    await page.getByRole('complementary', { name: 'Event details' }).getByRole('button', { name: 'Close' }).click();
    await page.getByRole('radio', { name: 'Agenda' }).click();
  });

  it('"Save a copy…" writes where the user picks and leaves the profile\'s own file and path alone', async () => {
    const { page } = app;
    const own = readFileSync(path.join(dir, 'team.ics'), 'utf8');
    dialogs.savePath = path.join(dir, 'exported', '..', 'copy.ics');
    await page.getByRole('button', { name: 'Save a copy…' }).click();
    await expect.poll(() => page.getByText('Copy saved to').count()).toBe(1);
    const written = readFileSync(path.join(dir, 'copy.ics'), 'utf8');
    expect(written).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(vevents(path.join(dir, 'copy.ics'))).toBe(3);
    expect(config().profiles.team.output).toBe(path.join(dir, 'team.ics'));
    expect(readFileSync(path.join(dir, 'team.ics'), 'utf8')).toBe(own);
    await capture('13-saved-copy');
  });

  it('a re-sync with changes: the file follows, and badges say what changed since the last sync', async () => {
    const { page } = app;
    server.addMessage('Team', invite('review@corp.example', 'Quarterly review (moved)', REVIEW + DAY, ['ORGANIZER;CN=Carol Chief:mailto:carol@corp.example'], 1));
    server.addMessage('Team', invite('new@corp.example', 'Brand new meeting', today + 4 * DAY + 12 * 3_600_000));
    server.addMessage('Team', buildMail({ from: 'Boss <boss@corp.example>', subject: 'Cancelled: xss', calendars: [{ method: 'CANCEL', ics: vcal('CANCEL', vevent({ uid: 'xss@corp.example', summary: 'x', sequence: 1, dtstamp: stamp(Date.now()), start: stamp(XSS_AT), end: stamp(XSS_AT + 3_600_000), extra: ['STATUS:CANCELLED'] })) }] }));
    await page.getByRole('button', { name: 'Sync now', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'since the last sync' }).textContent(), { timeout: 30_000 }).toContain('1 new, 1 updated');
    const status = (await page.getByRole('status').filter({ hasText: 'since the last sync' }).textContent())!;
    expect(status).toContain('1 removed (this profile leaves cancelled events out, so a cancellation counts here)');
    const upcoming = page.getByRole('listbox', { name: 'Upcoming events' });
    await expect.poll(() => upcoming.getByRole('option', { name: /Brand new meeting/ }).textContent()).toContain('New');
    expect(await upcoming.getByRole('option', { name: /Quarterly review \(moved\)/ }).textContent()).toContain('Updated');
    expect(await upcoming.locator('.badge').count()).toBe(2);
    const file = readFileSync(path.join(dir, 'team.ics'), 'utf8');
    expect(file).toContain('SUMMARY:Quarterly review (moved)');
    expect(file).toContain('SUMMARY:Brand new meeting');
    expect(file).not.toContain('xss@corp.example');
    await capture('14-resync-changes');
    // The schedule switch in the strip is the profile's.
    await page.getByLabel('Sync every 30 minutes').uncheck();
    await expect.poll(() => config().profiles.team.schedule.enabled).toBe(false);
    await expect.poll(() => page.getByRole('region', { name: 'Sync status of team' }).textContent()).toContain('schedule off');
    await page.getByLabel('Sync every 30 minutes').check();
    await expect.poll(() => config().profiles.team.schedule.enabled).toBe(true);
  });

  it('profiles and accounts lists; cancelling a sync leaves the calendar and its file as they were', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Accounts' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Accounts' }).textContent()).toContain('password in keychain');
    await capture('15-accounts');
    await page.getByRole('button', { name: 'Profiles and folders' }).click();
    await page.getByRole('button', { name: 'Edit team' }).click();
    await page.getByRole('button', { name: 'Choose folders' }).click();
    await page.getByRole('checkbox', { name: /Big, 3000 messages/ }).check();
    await page.getByText('Advanced: filters and calendar content').click();
    await capture('16-profile-edit-advanced');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText('Profile saved.').count()).toBe(1);
    await page.getByRole('button', { name: 'Close' }).click();
    await capture('17-profiles');
    const file = readFileSync(path.join(dir, 'team.ics'), 'utf8');
    await page.getByRole('button', { name: 'Sync now: team' }).click();
    const progress = page.getByRole('progressbar', { name: 'Sync progress' });
    await expect.poll(() => page.getByText(/Big \(folder 2 of 2\): [1-9]\d* \/ 3000 messages/).count(), { timeout: 30_000 }).toBe(1);
    proxy.hold(true); // the next batch is now in flight and stays there until cancel
    expect(await progress.count()).toBe(1);
    expect(await page.getByText('0 calendar parts found').count()).toBe(0);
    await capture('18-sync-progress');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByText('Sync cancelled; nothing was changed.').count(), { timeout: 10_000 }).toBe(1);
    proxy.hold(false);
    expect(await page.getByRole('status').filter({ hasText: 'events from' }).textContent()).toContain('3 events from 7 messages');
    expect(readFileSync(path.join(dir, 'team.ics'), 'utf8')).toBe(file);
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
    await page.getByRole('button', { name: 'Sync now: bulk' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '20000 events from' }).count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByRole('heading', { name: 'Calendar: bulk' }).count()).toBe(1);
    await page.getByRole('radio', { name: 'List' }).click();
    expect(await page.getByText('20000 shown').count()).toBe(1);
    const rows = page.locator('.sizer .row');
    expect(await rows.count()).toBeLessThan(200);
    await page.getByRole('grid', { name: 'Events' }).focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('.sizer .row', { hasText: 'Bulk event 19999' }).count()).toBe(1);
    expect(await rows.count()).toBeLessThan(200);
    expect(await page.getByRole('complementary', { name: 'Event details' }).textContent()).toContain('Bulk event 19999');
    // The active row exists in the DOM (the virtualized list never points at a row it dropped).
    const active = await page.getByRole('grid', { name: 'Events' }).getAttribute('aria-activedescendant');
    expect(await page.locator(`#${active}`).count()).toBe(1);
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('.sizer .row', { hasText: 'Bulk event 00000' }).count()).toBe(1);
    const after = await page.getByRole('grid', { name: 'Events' }).getAttribute('aria-activedescendant');
    expect(await page.locator(`#${after}`).count()).toBe(1);
    await capture('19-list-20000');
    expect(vevents(path.join(dir, 'bulk.ics'))).toBe(20_000);
  }, 240_000); // a budget for a busy 2-core machine (a sync of 20,000 events, four axe runs), not a speed claim

  it('no page errors, no CSP violations, and axe found nothing on any screen in either theme', () => {
    expect(captured.length).toBeGreaterThanOrEqual(19 * 4);
    expect(app.pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(axeViolations).toEqual([]);
  });
});
