// The desktop app's service (what every IPC channel runs) against the real Dovecot: accounts and
// passwords (never stored or returned), untrusted certificate → pin → connect, folders, profiles,
// scan with progress and cancel, change status since the last sync, occurrences, export.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { buildMail, vcal, vevent } from '../../helpers/mail-builder.ts';
import { AppService } from '../../../electron/core/app/app-service.ts';
import { AppError } from '../../../electron/core/errors.ts';
import type { SecretStore } from '../../../electron/core/secrets/secret-store.ts';
import { SyncCache } from '../../../electron/core/store/cache.ts';
import type { RunOutcome } from '../../../electron/core/schedule/scheduler.ts';
import type { ScanProgress } from '../../../electron/shared/ipc-contract.ts';
import { handleRequest, type ServiceLike } from '../../../electron/main/ipc-wiring.ts';
import { scriptedDialogs } from '../../helpers/scripted-dialogs.ts';
import { credentialKey } from '../../../electron/core/secrets/credential-key.ts';

const dialogs = scriptedDialogs();

let server: DovecotServer;
let dir: string;
let service: AppService;
let cache: SyncCache;
const secrets = new Map<string, string>();
const progress: ScanProgress[] = [];
const shown: string[] = [];
const clipboard: string[] = [];
let savePath: string | undefined;

const memoryStore: SecretStore = {
  get: async (k) => secrets.get(k) ?? null,
  set: async (k, v) => void secrets.set(k, v),
  delete: async (k) => secrets.delete(k),
};

const invite = (uid: string, summary: string, seq = 0, extra: string[] = []) =>
  buildMail({ from: 'Boss <boss@corp.example>', subject: `Invitation: ${summary}`, calendars: [{ method: 'REQUEST', ics: vcal('REQUEST', vevent({ uid, summary, sequence: seq, dtstamp: `2026010${seq + 1}T000000Z`, extra })) }] });

/** Window syncs as the schedule was told of them (the tray's status line counts from them too). */
const recorded: Array<[string, RunOutcome]> = [];

beforeAll(async () => {
  server = await startDovecot();
  dir = mkdtempSync(path.join(tmpdir(), 'app-service-'));
  server.createFolder('Team');
  server.createFolder(`Public Folders${server.delimiter}Events`);
  server.addMessage('Team', invite('standup@corp.example', 'Standup', 0, ['RRULE:FREQ=WEEKLY;COUNT=10']));
  server.addMessage('Team', invite('review@corp.example', 'Review'));
  server.addMessage('Team', invite('xss@corp.example', '<img src=x onerror=alert(1)>'));
  for (let i = 0; i < 1200; i++) server.addMessage(`Public Folders${server.delimiter}Events`, buildMail({ subject: `filler ${i}` }));
  cache = new SyncCache(path.join(dir, 'cache.sqlite'));
  service = new AppService({
    configFile: path.join(dir, 'config.json'),
    version: '0.0.0-test',
    openSecrets: async () => memoryStore,
    cache,
    dialogs: { ...dialogs.dialogs, chooseSavePath: async () => savePath },
    showItemInFolder: (f) => shown.push(f),
    emitProgress: (p) => progress.push(p),
    // The schedule as main passes it: one scheduled failure of "team" long ago, a feed link for it.
    schedule: {
      statuses: () => [{ name: 'team', state: 'idle', failures: 1, lastError: { at: Date.parse('2020-01-01T00:00:00Z'), message: 'connection refused' }, nextAt: Date.parse('2030-01-01T00:00:00Z') }],
      feedLink: (p) => (p === 'team' ? 'webcal://127.0.0.1:8080/feed/secret-token/team.ics' : undefined),
      recordRun: (p, o) => recorded.push([p, o]),
    },
    writeClipboard: (t) => clipboard.push(t),
  });
}, 120_000);
afterAll(async () => {
  cache?.close();
  await server?.stop();
});

const account = () => ({ host: server.host, port: server.imapsPort, security: 'tls' as const, username: server.user });

describe('app service', () => {
  it('reports an unavailable keychain with its reason', async () => {
    const broken = new AppService({
      configFile: path.join(dir, 'none.json'), version: 'x', dialogs: scriptedDialogs().dialogs, showItemInFolder: () => {}, emitProgress: () => {},
      openSecrets: async () => {
        throw new AppError('KEYCHAIN_UNAVAILABLE', 'The system keychain is not available: Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
    });
    expect(await broken.appInfo()).toMatchObject({ keychain: { available: false, reason: expect.stringContaining('D-Bus') } });
    expect(await service.appInfo()).toMatchObject({ version: '0.0.0-test', keychain: { available: true } });
  });

  it('accounts: the password goes to the keychain only; an untrusted certificate can be pinned, then it connects', async () => {
    await service.saveAccount({ name: 'local', account: account() });
    expect(await service.listAccounts()).toEqual([{ name: 'local', account: { ...account() }, hasPassword: false }]);
    const noPw = await service.testConnection({ account: account() }).catch((e) => e);
    expect(noPw.code).toBe('NO_PASSWORD');
    await service.setPassword({ name: 'local', password: server.password });
    expect(secrets.get(credentialKey(account()))).toBe(server.password);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).not.toContain(server.password);
    expect(JSON.stringify(await service.listAccounts())).not.toContain(server.password);
    expect((await service.listAccounts())[0].hasPassword).toBe(true);

    // Through the IPC layer, as the window sees it: the certificate comes with the error.
    const untrusted = await handleRequest('connection:test', service as unknown as ServiceLike, { account: account(), name: 'local' });
    expect(untrusted.ok).toBe(false);
    if (untrusted.ok) return;
    expect(untrusted.error.code).toBe('TLS_UNTRUSTED');
    expect(untrusted.error.certificate?.fingerprint256).toBe(server.pki.fingerprint256);
    expect(untrusted.error.certificate?.issuer).toContain('mailbox2ics test CA');
    // Pinning changes the settings the password was saved for: main asks (natively) before using it there.
    dialogs.confirmAnswer = true;
    await service.saveAccount({ name: 'local', previousName: 'local', account: { ...account(), pinnedFingerprint: untrusted.error.certificate!.fingerprint256 } });
    dialogs.confirmAnswer = false;
    expect(dialogs.questions).toHaveLength(1);
    expect(dialogs.questions[0].message).toContain(`${server.host}:${server.imapsPort} (TLS, only the pinned certificate ${server.pki.fingerprint256})`);
    expect(await service.testConnection({ account: (await service.listAccounts())[0].account, name: 'local' })).toEqual({ folders: expect.any(Number), server: `${server.host}:${server.imapsPort}` });
    const wrong = await service.testConnection({ account: { ...account(), pinnedFingerprint: server.pki.fingerprint256 }, password: 'wrong' }).catch((e) => e);
    expect(wrong.code).toBe('LOGIN_REJECTED');
  });

  it('folders come with counts, in every namespace', async () => {
    const folders = await service.listFolders({ name: 'local' });
    const byPath = Object.fromEntries(folders.map((f) => [f.path, f]));
    expect(byPath.Team.messages).toBe(3);
    expect(byPath[`Public Folders${server.delimiter}Events`].messages).toBe(1200);
  });

  it('profiles are validated with paths; an account in use cannot be removed', async () => {
    const choose = async (file: string) => {
      savePath = file;
      const c = await service.chooseOutput({});
      savePath = undefined;
      if (!c.chosen) throw new Error('no choice');
      return { output: c.path, outputChoice: c.token };
    };
    const team = await choose(path.join(dir, 'team.ics'));
    const bad = await service.saveProfile({ name: 'team', outputChoice: team.outputChoice, profile: { account: 'local', folders: ['Team'], output: team.output, filters: { match: ['summary=('] } } as never }).catch((e) => e);
    expect(bad.code).toBe('CONFIG');
    expect(bad.message).toContain('profiles.team.filters.match.0');
    await service.saveProfile({ name: 'team', outputChoice: team.outputChoice, profile: { account: 'local', folders: ['Team'], output: team.output } as never });
    const big = await choose(path.join(dir, 'big.ics'));
    await service.saveProfile({ name: 'big', outputChoice: big.outputChoice, profile: { account: 'local', folders: ['Team', `Public Folders${server.delimiter}Events`], output: big.output } as never });
    expect((await service.listProfiles()).map((p) => p.name)).toEqual(['team', 'big']);
    const inUse = await service.removeAccount({ name: 'local' }).catch((e) => e);
    expect(inUse.message).toMatch(/used by the profiles "team", "big"/);
  });

  it('scans with progress; the preview says what changed since the last scan; event text stays text', async () => {
    progress.length = 0;
    const statusBefore = (await service.syncStatus()).find((x) => x.profile === 'team')!;
    // Before any sync: the schedule's failure is the state to report, with its reason.
    expect(statusBefore).toMatchObject({ scheduleEnabled: true, failures: 1, lastFailure: { message: 'connection refused' }, nextAt: '2030-01-01T00:00:00.000Z', feedLink: true });
    expect(statusBefore.lastSyncAt).toBeUndefined();
    const first = await service.runScan({ scanId: 's1', profile: 'team' });
    // "Sync now" wrote the profile's own calendar file, atomically, with what the preview shows.
    expect(first.written).toBe(path.join(dir, 'team.ics'));
    expect(readFileSync(first.written, 'utf8').match(/^BEGIN:VEVENT/gm)).toHaveLength(3);
    expect(first.firstSync).toBe(true);
    expect(recorded).toEqual([['team', { ok: true, summary: '3 events, 0 skipped' }]]);
    const statusAfter = (await service.syncStatus()).find((x) => x.profile === 'team')!;
    expect(statusAfter).toMatchObject({ events: 3, failures: 0, running: false });
    expect(statusAfter.lastFailure).toBeUndefined(); // older than the last success
    expect(Date.parse(statusAfter.lastSyncAt!)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
    expect(first.events.map((e) => [e.summary, e.change]).sort()).toEqual([['<img src=x onerror=alert(1)>', 'new'], ['Review', 'new'], ['Standup', 'new']]);
    const standup = first.events.find((e) => e.summary === 'Standup')!;
    expect(standup).toMatchObject({ recurring: true, source: { folder: 'Team', subject: 'Invitation: Standup' } });
    expect(progress.some((p) => p.scanId === 's1' && p.folder === 'Team' && p.total === 3)).toBe(true);

    server.addMessage('Team', invite('review@corp.example', 'Review (moved)', 1));
    server.addMessage('Team', buildMail({ subject: 'Cancelled: Standup', calendars: [{ method: 'CANCEL', ics: vcal('CANCEL', vevent({ uid: 'standup@corp.example', summary: 'Standup', sequence: 1, dtstamp: '20260105T000000Z', extra: ['STATUS:CANCELLED'] })) }] }));
    server.addMessage('Team', invite('new@corp.example', 'Brand new'));
    const second = await service.runScan({ scanId: 's2', profile: 'team' });
    expect(second.firstSync).toBe(false);
    expect(readFileSync(second.written, 'utf8')).toContain('SUMMARY:Brand new');
    const change = Object.fromEntries(second.events.map((e) => [e.uid, e.change]));
    expect(change).toEqual({ 'review@corp.example': 'updated', 'new@corp.example': 'new', 'xss@corp.example': 'unchanged' });
    // The cancelled series left the calendar (policy "remove"): counted as removed since the last scan.
    expect(second.summary.removedSinceLastSync).toBe(1);

    const occ = await service.previewOccurrences({ scanId: 's2', from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' });
    expect(occ.occurrences.map((o) => o.summary).sort()).toEqual(['<img src=x onerror=alert(1)>', 'Brand new', 'Review (moved)']);
  });

  it('cancel stops a running scan, and a cancelled scan changes nothing', async () => {
    const before = cache.getSnapshot('profile:big');
    const scan = service.runScan({ scanId: 'c1', profile: 'big' });
    // Cancel as soon as the first batch of the big folder reports progress.
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (progress.some((p) => p.scanId === 'c1' && p.done > 0)) {
          clearInterval(t);
          resolve();
        }
      }, 2);
    });
    await service.cancelScan({ scanId: 'c1' });
    const err = await scan.catch((e) => e);
    expect(err.code).toBe('CANCELLED');
    // A cancelled sync is no run the schedule should count from.
    expect(recorded.filter(([p]) => p === 'big')).toEqual([]);
    expect(cache.getSnapshot('profile:big')).toEqual(before);
    expect(existsSync(path.join(dir, 'big.ics'))).toBe(false);
    const preview = await service.previewOccurrences({ scanId: 'c1', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' }).catch((e) => e);
    expect(preview.message).toMatch(/no longer available/);
  });

  it('the schedule switch and the feed link: saved in the configuration, the link copied by main only', async () => {
    await service.setSchedule({ name: 'team', enabled: false });
    expect((await service.listProfiles()).find((p) => p.name === 'team')!.profile.schedule.enabled).toBe(false);
    const off = (await service.syncStatus()).find((x) => x.profile === 'team')!;
    expect(off.scheduleEnabled).toBe(false);
    expect(off.nextAt).toBeUndefined();
    await service.setSchedule({ name: 'team', enabled: true });
    // The reply carries no link (it holds the feed's access token); the clipboard gets it.
    expect(await service.copyFeedLink({ profile: 'team' })).toBeNull();
    expect(clipboard).toEqual(['webcal://127.0.0.1:8080/feed/secret-token/team.ics']);
    expect(JSON.stringify(await service.syncStatus())).not.toContain('secret-token');
    const none = await service.copyFeedLink({ profile: 'big' }).catch((e) => e);
    expect(none.message).toMatch(/does not serve "big"/);
    expect((await handleRequest('profiles:set-schedule', service as unknown as ServiceLike, { name: '../x', enabled: true })).ok).toBe(false);
  });

  it('"Save a copy" writes the previewed calendar atomically where the user chose; the profile keeps its own file', async () => {
    savePath = undefined;
    expect(await service.exportCalendar({ scanId: 's2' })).toEqual({ saved: false });
    savePath = path.join(dir, 'exported', '..', 'chosen.ics');
    const r = await service.exportCalendar({ scanId: 's2' });
    expect(r).toEqual({ saved: true, path: path.join(dir, 'chosen.ics') });
    const text = readFileSync(path.join(dir, 'chosen.ics'), 'utf8');
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('SUMMARY:Review (moved)');
    expect((await service.listProfiles()).find((p) => p.name === 'team')!.profile.output).toBe(path.join(dir, 'team.ics'));
    await service.showInFolder({ path: path.join(dir, 'chosen.ics') });
    expect(shown).toEqual([path.join(dir, 'chosen.ics')]);
    const refused = await service.showInFolder({ path: '/etc/passwd' }).catch((e) => e);
    expect(refused.message).toMatch(/not a calendar file mailbox2ics wrote/);
  });
});
