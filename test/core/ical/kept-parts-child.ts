// Run by kept-parts.test.ts with --allow-natives-syntax: whether parts kept for a run, and their
// components, share V8's hidden classes (a class of its own per part was ~290 bytes of each).
import { settledPart } from '../../../electron/core/ical/kept-part.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { zonedInvite } from './kept-parts-fixture.ts';

// In a string: the natives syntax is V8's, not TypeScript's.
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
// As message-scan.ts makes them.
const scanned = (i: number): CalendarPart => ({
  source: { folder: 'INBOX', uid: i, subject: `Meeting ${i}`, from: 'organizer@example.com', date: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() },
  section: '2', mimeMethod: 'REQUEST',
  text: zonedInvite(`k-${i}@example.com`),
  decodeNotes: undefined,
});
const kept = Array.from({ length: 50 }, (_, i) => settledPart(scanned(i + 1)));
const [first] = kept;
process.stdout.write(JSON.stringify({
  parts: kept.every((p) => sameMap(p, first)),
  sources: kept.every((p) => sameMap(p.source, first.source)),
  records: kept.every((p) => sameMap(p.prepared!, first.prepared!)),
  comps: kept.every((p) => sameMap(p.prepared!.comps[0], first.prepared!.comps[0])),
}) + '\n');
