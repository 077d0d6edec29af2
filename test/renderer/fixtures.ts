// Builders for component tests: preview events, scan results, folder lists and accounts, with
// plausible defaults a test overrides field by field.
import { ProfileSchema, type Profile } from '../../electron/shared/config-schema.ts';
import type { PreviewEvent, ScanResult } from '../../electron/shared/ipc-contract.ts';
import type { FakeApi } from './fake-api.ts';

export function makeEvent(i: number, over: Partial<PreviewEvent> = {}): PreviewEvent {
  const start = new Date(Date.UTC(2026, 10, 2, 9) + i * 3_600_000);
  return {
    key: `ev-${i}@example.com`,
    uid: `ev-${i}@example.com`,
    kind: 'VEVENT',
    summary: `Event ${String(i).padStart(5, '0')}`,
    location: `Room ${i % 7}`,
    organizer: 'Carol Chief <carol@example.com>',
    description: '',
    start: start.toISOString(),
    end: new Date(start.getTime() + 1_800_000).toISOString(),
    allDay: false,
    recurring: false,
    cancelled: false,
    source: { folder: 'Team', uid: i + 1, date: '2026-10-30T08:00:00.000Z', from: 'Carol Chief <carol@example.com>', subject: `Invitation: Event ${i}` },
    change: 'unchanged',
    ...over,
  };
}

export function makeResult(events: PreviewEvent[], over: Partial<ScanResult> = {}): ScanResult {
  return {
    scanId: 'scan-1',
    profile: 'team',
    firstSync: false,
    written: '/home/me/team.ics',
    events,
    skipped: [],
    warnings: [],
    summary: { messages: events.length, calendarParts: events.length, eventsOut: events.length, bytesDownloaded: 1000, wallTimeMs: 12, removedSinceLastSync: 0 },
    ...over,
  };
}

export function addAccount(fake: FakeApi, name = 'work', opts: { password?: string; pinnedFingerprint?: string } = {}) {
  fake.state.accounts.set(name, { host: 'imap.example.com', security: 'tls', username: 'me@example.com', ...(opts.pinnedFingerprint ? { pinnedFingerprint: opts.pinnedFingerprint } : {}) });
  if (opts.password) fake.state.passwords.set(name, opts.password);
}

export function addProfile(fake: FakeApi, name = 'team', over: Partial<Profile> = {}) {
  fake.state.profiles.set(name, ProfileSchema.parse({ account: 'work', folders: ['Team'], output: '/home/me/team.ics', ...over }));
}

/** A server tree: INBOX with children, a \Noselect container, and a shared namespace root the server does not list. */
export const FOLDERS = [
  { path: 'INBOX', name: 'INBOX', delimiter: '/', messages: 12, selectable: true, specialUse: '\\Inbox' },
  { path: 'INBOX/Invites', name: 'Invites', delimiter: '/', messages: 4, selectable: true },
  { path: 'Projects', name: 'Projects', delimiter: '/', selectable: false },
  { path: 'Projects/Alpha', name: 'Alpha', delimiter: '/', messages: 7, selectable: true },
  { path: 'Projects/Beta', name: 'Beta', delimiter: '/', messages: 0, selectable: true },
  { path: 'Shared/Team Calendar', name: 'Team Calendar', delimiter: '/', messages: 30, selectable: true },
];

export const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0').slice(-2)).join(':');

export const CERTIFICATE = {
  subject: 'CN=imap.example.com',
  issuer: 'CN=Example Internal CA',
  fingerprint256: FINGERPRINT,
  validFrom: 'Jan  1 00:00:00 2026 GMT',
  validTo: 'Jan  1 00:00:00 2027 GMT',
  selfSigned: false,
};
