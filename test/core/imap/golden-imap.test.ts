// The golden merge cases and every real-world fixture again, this time seeded into the real Dovecot
// and scanned over IMAP: the server path must give exactly what the local path gives.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.ts';
import { GOLDEN_CASES, GOLDEN_DIR, goldenSettings } from '../../fixtures/golden-cases.ts';
import { fixtureAsMail, realFixtures } from '../../helpers/real-fixtures.ts';
import { syncFromImap } from '../../../electron/core/sync/run-sync.ts';
import type { ConnectOptions } from '../../../electron/core/imap/connect.ts';

let server: DovecotServer;
let conn: ConnectOptions;

beforeAll(async () => {
  server = await startDovecot({ layout: 'maildir++' });
  conn = { host: server.host, port: server.imapsPort, security: 'tls', username: server.user, password: server.password, caFile: server.pki.caFile };
  for (const c of GOLDEN_CASES) {
    const folder = `Golden.${c.name}`;
    server.createFolder(folder);
    c.mails.forEach((m, i) => server.addMessage(folder, m, { date: new Date(Date.UTC(2026, 0, 1, 0, i)) }));
  }
  server.createFolder('Real');
  for (const rel of realFixtures()) server.addMessage('Real', fixtureAsMail(rel));
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('golden merge cases over IMAP (Maildir++ server, "." delimiter)', () => {
  for (const c of GOLDEN_CASES) {
    it(c.name, async () => {
      const { ics } = await syncFromImap({ ...goldenSettings(c), connect: conn, folders: [`Golden.${c.name}`] });
      expect(ics).toBe(readFileSync(path.join(GOLDEN_DIR, `${c.name}.ics`), 'utf8'));
    });
  }
});

describe('real-world fixtures over IMAP', () => {
  it('every fixture is scanned: events out, malformed ones skipped with folder, UID and reason', async () => {
    const { ics, report } = await syncFromImap({ connect: conn, folders: ['Real'], include: new Set(['VEVENT', 'VTODO', 'VJOURNAL']), cancelled: 'keep', maxPartBytes: 10 << 20 });
    const cal = new ICAL.Component(ICAL.parse(ics) as never);
    const events = cal.getAllSubcomponents('vevent');
    expect(events.length).toBeGreaterThan(40);
    const skippedSubjects = report.skipped.map((s) => `${s.folder}|${s.uid}|${s.subject}`);
    for (const f of ['small_bad_calendar.ics', 'malloc.ics']) {
      expect(skippedSubjects.some((s) => s.startsWith('Real|') && s.endsWith(f))).toBe(true);
    }
    // A line that is not a content line costs only that line (issue 12 item 5): a warning, the rest read.
    expect(report.warnings.some((w) => w.folder === 'Real' && w.subject?.endsWith('issue_104_broken_calendar.ics') && /dropped a line that is not a readable iCalendar content line/.test(w.message))).toBe(true);
    // Every TZID used has exactly one VTIMEZONE, apart from the names reported as unresolvable.
    const defined = cal.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid')));
    expect(new Set(defined).size).toBe(defined.length);
    const used = new Set<string>();
    const walk = (c: ICAL.Component) => {
      for (const p of c.getAllProperties()) if (typeof p.getParameter('tzid') === 'string') used.add(p.getParameter('tzid') as string);
      c.getAllSubcomponents().forEach(walk);
    };
    events.forEach(walk);
    const unresolved = new Set(report.warnings.filter((w) => /no VTIMEZONE|no usable observances and the name/.test(w.message)).map((w) => /"([^"]+)"/.exec(w.message)![1]));
    for (const t of used) expect(defined.includes(t) || unresolved.has(t), `TZID ${t}`).toBe(true);
  });
});
