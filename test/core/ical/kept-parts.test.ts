// What a run keeps of each calendar part (its record, without its text) is the part as it was, and
// costs no more than it must: parts share their hidden classes and the lists many of them repeat.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sharedList } from '../../../electron/core/ical/compact-string.ts';
import { preparePart } from '../../../electron/core/ical/prepare.ts';
import { settledPart } from '../../../electron/core/ical/kept-part.ts';
import type { CalendarPart } from '../../../electron/core/model.ts';
import { zonedInvite as text } from './kept-parts-fixture.ts';

const run = promisify(execFile);
const source = (uid: number) => ({ folder: 'INBOX', uid, subject: `Meeting ${uid}`, from: 'organizer@example.com', date: '2026-01-01T00:00:00.000Z' });
/** What the part was kept as before: a copy with its text dropped and its record added. */
const spread = (p: CalendarPart): CalendarPart => ({ ...p, text: '', prepared: preparePart(p) });
/** Keys in order and values, undefined ones included (JSON would drop them). */
const layout = (p: CalendarPart) => Object.entries(p).map(([k, v]) => [k, v === undefined ? '(undefined)' : JSON.stringify(v)]);

describe('parts kept for a run', () => {
  it('have the keys, the order and the values of the part with its text dropped and its record added, whatever keys the part has', () => {
    const shapes: CalendarPart[] = [
      // As message-scan.ts and extract-local.ts make them, with and without notes and a method.
      { source: source(1), section: '2', mimeMethod: 'REQUEST', text: text('a@example.com'), decodeNotes: undefined },
      { source: source(2), section: '1.2', mimeMethod: undefined, text: text('b@example.com'), decodeNotes: ['guessed charset'] },
      // Made elsewhere: keys missing, in another order, or one more.
      { source: source(3), section: '2', text: text('c@example.com') },
      { text: text('d@example.com'), section: '3', source: source(4), mimeMethod: 'PUBLISH' },
      { source: source(5), section: '2', mimeMethod: 'REQUEST', text: text('e@example.com'), decodeNotes: undefined, extra: 1 } as CalendarPart,
    ];
    for (const p of shapes) expect(layout(settledPart(p))).toEqual(layout(spread(p)));
    // A part already settled is kept as it is.
    const done = settledPart(shapes[0]);
    expect(settledPart(done)).toBe(done);
  });

  it('carrying the same zone and TZIDs share one frozen list of each', () => {
    const [a, b] = [settledPart({ source: source(1), section: '2', text: text('s-1@example.com') }), settledPart({ source: source(2), section: '2', text: text('s-2@example.com') })];
    const [ca, cb] = [a.prepared!.comps[0], b.prepared!.comps[0]];
    expect(ca.uid).not.toBe(cb.uid);
    expect(ca.tzids).toEqual(['Europe/Berlin']);
    expect(cb.tzids).toBe(ca.tzids);
    expect(Object.isFrozen(ca.tzids)).toBe(true);
    expect(a.prepared!.zones.map((z) => z.tzid)).toEqual(['Europe/Berlin']);
    expect(b.prepared!.zones).toBe(a.prepared!.zones);
    expect(Object.isFrozen(a.prepared!.zones)).toBe(true);
    // Another zone, another list.
    const other = settledPart({ source: source(3), section: '2', text: text('s-3@example.com').replace(/Europe\/Berlin/g, 'Europe/Paris') });
    expect(other.prepared!.zones).not.toBe(a.prepared!.zones);
    expect(other.prepared!.comps[0].tzids).toEqual(['Europe/Paris']);
  });

  it('share only short lists: a long one (hostile TZIDs) is copied, so the pool stays small whatever the mail', () => {
    const short = ['Europe/Berlin', 'America/New_York'];
    expect(sharedList([...short])).toBe(sharedList([...short]));
    const long = Array.from({ length: 20 }, (_, i) => `Hostile/Zone-${i}-${'x'.repeat(20)}`);
    const a = sharedList(long);
    expect(a).toEqual(long);
    expect(Object.isFrozen(a)).toBe(true);
    expect(sharedList([...long])).not.toBe(a);
  });

  it('share V8 hidden classes: parts, their sources, records and components (V8 natives, in a child process)', async () => {
    const { stdout } = await run(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', path.resolve(import.meta.dirname, 'kept-parts-child.ts')], { timeout: 60_000 });
    expect(JSON.parse(stdout.trim())).toEqual({ parts: true, sources: true, records: true, comps: true });
  });
});
