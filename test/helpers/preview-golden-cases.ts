// The calendars and ranges the preview's golden answers were recorded over: the sample mailbox's feed
// and every real-world fixture that parses as a calendar. Test-only; reads files of the repository only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { syncFromLocal } from '../../electron/core/sync/local-sync.ts';
import { REAL_DIR, realFixtures } from './real-fixtures.ts';

export const GOLDEN_FILE = path.resolve(import.meta.dirname, '../fixtures/preview-golden.json');

/** Ranges: the sample's weeks and year, the fixtures' usual decades, and one wide enough for all. */
export const RANGES: Array<[string, string]> = [
  ['2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z'],
  ['2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['1997-01-01T00:00:00Z', '1999-01-01T00:00:00Z'],
  ['1990-01-01T00:00:00Z', '2030-01-01T00:00:00Z'],
];

export async function goldenCalendars(): Promise<Array<[string, string]>> {
  const sample = path.resolve(import.meta.dirname, '../../resources/sample-mailbox');
  const { ics } = await syncFromLocal({ include: new Set(['VEVENT', 'VTODO', 'VJOURNAL']), cancelled: 'keep', maxPartBytes: 10 << 20, maildirs: [sample] });
  const out: Array<[string, string]> = [['sample-mailbox', ics]];
  for (const rel of realFixtures()) {
    if (!rel.endsWith('.ics')) continue;
    const text = readFileSync(path.join(REAL_DIR, rel), 'utf8');
    try {
      new ICAL.Component(ICAL.parse(text) as never);
    } catch {
      continue;
    }
    out.push([rel, text]);
  }
  return out;
}
