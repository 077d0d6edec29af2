// Makes one ical.js Timezone remember the UTC offset of each wall-clock time it was asked about: the
// preview asks again and again (every comparison, instant and UTC id of an occurrence costs one).
// Never answers differently from ical.js's own utcOffset: the memo only holds what ical.js computed.
import ICAL from 'ical.js';
import { MAX_ZONE_OFFSETS_REMEMBERED } from '../limits.ts';

/** The fields Timezone.utcOffset reads, as one number when they fit (else a string): the memo's key. */
function keyOf(tt: ICAL.Time): number | string {
  const { year, month, day, hour, minute, second } = tt;
  // Mixed radix with room for every value ical.js normalises to; a field out of it (never in practice)
  // gets an exact string key instead.
  if (
    Number.isSafeInteger(year) && Math.abs(year) < 2 ** 24 &&
    Number.isInteger(month) && month >= 0 && month < 16 &&
    Number.isInteger(day) && day >= 0 && day < 64 &&
    Number.isInteger(hour) && hour >= 0 && hour < 32 &&
    Number.isInteger(minute) && minute >= 0 && minute < 64 &&
    Number.isInteger(second) && second >= 0 && second < 64
  ) {
    return ((((year * 16 + month) * 64 + day) * 32 + hour) * 64 + minute) * 64 + second;
  }
  return `${year}|${month}|${day}|${hour}|${minute}|${second}`;
}

// The memo of each zone given one (dropped with the zone, i.e. with the parsed feed holding it).
const memos = new WeakMap<ICAL.Timezone, Map<number | string, number>>();

/** How many offsets this zone remembers (tests check the bound). */
export const offsetsRemembered = (zone: ICAL.Timezone): number => memos.get(zone)?.size ?? 0;

/**
 * Gives this zone object (one the caller owns, e.g. the one a parsed feed resolves a TZID to) a
 * memo of its utcOffset answers. ical.js's own offsets depend only on the zone's rules and these
 * six fields; its answer is computed from scratch (cloning every change it compares) each time.
 */
export function rememberOffsets(zone: ICAL.Timezone): void {
  if (memos.has(zone) || zone === ICAL.Timezone.utcTimezone || zone === ICAL.Timezone.localTimezone) return;
  const compute = zone.utcOffset.bind(zone);
  const memo = new Map<number | string, number>();
  memos.set(zone, memo);
  zone.utcOffset = (tt: ICAL.Time): number => {
    const key = keyOf(tt);
    const known = memo.get(key);
    if (known !== undefined) return known;
    const offset = compute(tt);
    // Bounded: a rule walked second by second would otherwise leave one entry per second.
    if (memo.size >= MAX_ZONE_OFFSETS_REMEMBERED) memo.clear();
    memo.set(key, offset);
    return offset;
  };
}
