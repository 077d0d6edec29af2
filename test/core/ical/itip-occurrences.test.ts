// What subscribers see in the iTIP golden files: every occurrence, expanded by two independent
// readers (ical.js, the app's own month view; and python-vobject with dateutil, as a Python client
// does), must be exactly the calendar the organizer's mails describe, under both --cancelled policies.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandOccurrences } from '../../../electron/core/preview/preview-events.ts';
import { GOLDEN_DIR } from '../../fixtures/golden-cases.ts';

const EXPAND = path.resolve(import.meta.dirname, '../../helpers/expand-ics.py');
const PYTHON = '/usr/bin/python3';

/** Occurrences in both policies; `cancelled` ones appear (marked) only with --cancelled keep. */
const EXPECTED: Record<string, { live: string[]; cancelled?: string[] }> = {
  'itip-series-supersedes': {
    live: ['2026-01-05T10:00Z Weekly v2', '2026-01-12T10:00Z Weekly v2', '2026-01-19T13:00Z Weekly v2 (Jan 19 at 13:00)', '2026-01-26T08:00Z Weekly v2 (Jan 26 early)'],
  },
  'itip-stale-cancel': { live: ['2026-01-05T10:00Z Daily', '2026-01-06T10:00Z Daily'], cancelled: ['2026-01-07T10:00Z Daily'] },
  'itip-range-cancel': { live: ['2026-01-05T10:00Z Weekly', '2026-01-12T10:00Z Weekly'], cancelled: ['2026-01-19T10:00Z Weekly'] },
  'itip-range-cancel-forms': {
    live: ['2026-01-05 All-day weekly', '2026-01-12 All-day weekly', '2026-01-05T09:00Z Daily in Berlin', '2026-01-07T09:00Z Daily in Berlin', '2026-01-08T09:00Z Daily in Berlin'],
    cancelled: ['2026-01-19 All-day weekly', '2026-01-09T09:00Z Daily in Berlin'],
  },
  'itip-range-request': {
    live: [
      '2026-01-05T10:00Z Weekly', '2026-01-12T10:00Z Weekly', '2026-01-19T11:00Z Weekly (later, room 2)', '2026-01-26T11:00Z Weekly (later, room 2)', '2026-02-02T16:00Z Weekly (Feb 2 moved)',
      '2026-01-06T21:00Z Conference call', '2026-02-06T21:00Z Conference call', '2026-03-06T21:00Z Conference call', '2026-04-06T21:00Z Conference call',
    ],
  },
  'itip-range-edges': {
    live: [
      '2026-01-05T10:00Z Daily', '2026-01-06T10:00Z Daily', '2026-01-07T14:00Z Daily (afternoons)', '2026-01-08T14:00Z Daily (afternoons)',
      '2026-03-02T09:00Z Monday', '2026-03-09T09:00Z Monday', '2026-03-17T08:00Z Tuesday', '2026-03-24T08:00Z Tuesday', '2026-03-31T07:00Z Tuesday',
      '2026-04-07T07:00Z Tuesday', '2026-04-14T07:00Z Tuesday', '2026-04-21T07:00Z Tuesday',
    ],
    cancelled: ['2026-01-05T10:00Z Single', '2026-01-09T14:00Z Daily'],
  },
  'itip-override-restores': { live: ['2026-01-05T10:00Z Daily', '2026-01-06T10:00Z Daily (you are now invited)'] },
  'itip-add': {
    live: ['2026-01-05T10:00Z Review', '2026-01-12T10:00Z Review', '2026-01-15T10:00Z Review', '2026-01-05T12:00Z Planning', '2026-01-12T12:00Z Planning', '2026-01-22T14:00Z Planning (long one)'],
    cancelled: ['2026-01-19T10:00Z Review'],
  },
  'itip-organizer-spoof': { live: ['2026-01-10T10:00Z Board meeting'] },
  'itip-organizer-delegation': { live: ['2026-01-11T10:00Z Team day (Sunday)'] },
  'itip-instance-forms': {
    live: [
      '2026-03-02T09:00Z Berlin weekly', '2026-03-09T11:00Z Berlin weekly (moved)', '2026-03-23T09:00Z Berlin weekly', '2026-03-30T08:00Z Berlin weekly', '2026-04-06T08:00Z Berlin weekly',
      '2026-03-02 All-day', '2026-03-03 All-day (changed)', '2026-03-04 All-day', '2026-03-05 All-day',
      '2026-03-02T08:00Z Timed', '2026-03-03T12:00Z Timed (moved)', '2026-03-04T08:00Z Timed', '2026-03-05T08:00Z Timed',
      '2026-03-02T17:00Z Evening', '2026-03-03T19:00Z Evening (later)', '2026-03-04T17:00Z Evening',
    ],
    cancelled: ['2026-03-16T09:00Z Berlin weekly'],
  },
  'itip-cancelled-start': { live: ['2026-01-05T09:00Z Stand-up', '2026-01-07T09:00Z Stand-up'], cancelled: ['2026-01-06T09:00Z Stand-up'] },
};

function expected(name: string, keep: boolean): string[] {
  const e = EXPECTED[name];
  return [...e.live, ...(keep ? (e.cancelled ?? []).map((c) => `${c} (cancelled)`) : [])].sort();
}

function withIcalJs(ics: string): string[] {
  return expandOccurrences(ics, new Date('2025-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')).occurrences
    .map((o) => `${o.allDay ? o.start.slice(0, 10) : `${o.start.slice(0, 16)}Z`} ${o.summary}${o.cancelled ? ' (cancelled)' : ''}`)
    .sort();
}

function withVobject(file: string): string[] {
  return JSON.parse(execFileSync(PYTHON, [EXPAND, file], { encoding: 'utf8' })) as string[];
}

const hasVobject = existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import vobject'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('iTIP golden files as calendar readers expand them', () => {
  for (const name of Object.keys(EXPECTED)) {
    for (const keep of [false, true]) {
      const file = path.join(GOLDEN_DIR, `${name}${keep ? '-keep' : ''}.ics`);
      it(`${path.basename(file)}: ical.js`, () => {
        expect(withIcalJs(readFileSync(file, 'utf8'))).toEqual(expected(name, keep));
      });
      it.skipIf(!hasVobject)(`${path.basename(file)}: python-vobject (install python3-vobject to run)`, () => {
        expect(withVobject(file)).toEqual(expected(name, keep));
      });
    }
  }
});
