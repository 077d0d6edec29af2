// What a VTIMEZONE means, as one signature: its UTC offset at local noon on every day of a window of
// years, sampled through ical.js and kept across runs by the sync cache. Equal signatures, equal zones.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { ZoneFactMemo, zoneFact } from './zone-facts.ts';

/** Observance lines only: LAST-MODIFIED, TZURL and X- properties do not change what a zone means. */
function textKey(comp: ICAL.Component): string {
  const obs = comp
    .getAllSubcomponents()
    .map((s) =>
      `${s.name}:` +
      s
        .getAllProperties()
        .filter((p) => !p.name.startsWith('x-') && p.name !== 'tzname' && p.name !== 'comment')
        .map((p) => p.toICALString())
        .sort()
        .join('|'),
    )
    .sort();
  return createHash('sha256').update(obs.join('\n')).digest('hex');
}

// Why this window: events in mail feeds fall within a few decades of now; older history is noise.
const SAMPLE_FROM = 1990;
const SAMPLE_TO = 2045;
// A zone's signature, kept across runs by the sync cache (zone-facts.ts): working it out costs a fresh
// process ~50-85 ms. The version names the sampling: bump the "1" when the computation changes.
const signatureFacts = new ZoneFactMemo('zone-signature', `1|${SAMPLE_FROM}-${SAMPLE_TO}`, (v): v is string => typeof v === 'string' && /^(text:)?[0-9a-f]{32}$/.test(v));

/**
 * What a zone means: its UTC offset at local noon on every day of the sample window, written as the
 * days on which it changes. Sampled weekly and refined to the day, so an offset that holds for less
 * than a week is not seen (no real zone does that); ~3,000 offset lookups instead of ~20,000.
 */
export function semanticSignature(comp: ICAL.Component): string {
  const key = textKey(comp);
  return zoneFact(signatureFacts, key, () => ({ value: computeSignature(comp, key) }))!;
}

function computeSignature(comp: ICAL.Component, key: string): string {
  try {
    // Hashed: records compare and store it for every part.
    return createHash('sha256').update(sampledOffsets(comp, true).join(',')).digest('hex').slice(0, 32);
  } catch {
    return `text:${key.slice(0, 32)}`;
  }
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * A zone expanded once for the whole window, with when its changes happen (UTC, as ical.js holds them,
 * in milliseconds, sorted) and the largest offset any of them names, in seconds. `clear`: no change
 * can decide a local noon's offset in the hours around it, i.e. no local noon lies within an hour of
 * the wall-clock times the change is compared at (its UTC time plus its offset before and after).
 * Not clear either when a field is not a finite number.
 */
function expandedZone(comp: ICAL.Component): { tz: ICAL.Timezone; at: number[]; maxOffset: number; clear: boolean } {
  const tz = new ICAL.Timezone(comp);
  tz.utcOffset(ICAL.Time.fromData({ year: SAMPLE_TO, month: 1, day: 1, hour: 12, minute: 0, second: 0, isDate: false }));
  const at: number[] = [];
  let maxOffset = 0;
  let clear = true;
  for (const c of tz.changes as Array<{ year: number; month: number; day: number; hour: number; minute: number; second: number; utcOffset: number; prevUtcOffset: number }>) {
    const ms = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
    if (!Number.isFinite(ms) || !Number.isFinite(c.utcOffset) || !Number.isFinite(c.prevUtcOffset)) return { tz, at, maxOffset, clear: false };
    at.push(ms);
    maxOffset = Math.max(maxOffset, Math.abs(c.utcOffset), Math.abs(c.prevUtcOffset));
    const lo = ms + Math.min(c.utcOffset, c.prevUtcOffset) * 1000 - HOUR_MS;
    const hi = ms + Math.max(c.utcOffset, c.prevUtcOffset) * 1000 + HOUR_MS;
    // A noon (k days and 12 hours) within [lo, hi]?
    if (Math.floor((hi - DAY_MS / 2) / DAY_MS) >= Math.ceil((lo - DAY_MS / 2) / DAY_MS)) clear = false;
  }
  return { tz, at: at.sort((x, y) => x - y), maxOffset, clear };
}

/**
 * The signature's samples: the offset at local noon of the window's first day, then each day on which
 * it changes. Sampled weekly and refined to the day (the rule the signatures were made by).
 *
 * `fast` gives the same samples with far fewer lookups. ical.js's answer for a wall-clock time is
 * that of the last change compared at or before it (a change, held in UTC, is compared at its time plus
 * its offset before or after); the changes it holds twice after re-expanding (it expands again from the
 * start when a year beyond its coverage is asked) decide only times between those two comparisons. So:
 * - When no local noon lies within an hour of any change's comparisons (see expandedZone), one zone
 *   expanded once for the whole window answers every sample as the week-by-week one does, and a weekly
 *   sample is asked only when a change lies near the week before it (within the largest offset and two
 *   days); else it is the offset of a week before.
 * - Otherwise (a change compared near noon: no real zone has one) every week is asked, as before.
 * About 500 lookups and one expansion instead of ~3,300 and five for a zone with two changes a year;
 * tested against the week-by-week sampling for the fixtures' zones and hostile ones.
 */
export function sampledOffsets(comp: ICAL.Component, fast: boolean): string[] {
  let tz: ICAL.Timezone;
  let near: number[] | undefined;
  let margin = 0;
  if (fast) {
    const z = expandedZone(comp);
    tz = z.clear ? z.tz : new ICAL.Timezone(comp);
    near = z.clear ? z.at : undefined;
    // A change's UTC time is within its offset of the wall-clock times it is compared at.
    margin = z.maxOffset * 1000 + 2 * DAY_MS;
  } else tz = new ICAL.Timezone(comp);
  let next = 0;
  const parts: string[] = [];
  const t = ICAL.Time.fromData({ year: SAMPLE_FROM, month: 1, day: 1, hour: 12, minute: 0, second: 0, isDate: false });
  let last = tz.utcOffset(t);
  let before = Date.UTC(t.year, t.month - 1, t.day, 12);
  parts.push(`${t.toICALString().slice(0, 8)}=${last}`);
  while (t.year < SAMPLE_TO) {
    t.adjust(7, 0, 0, 0);
    let ask = true;
    if (near) {
      const now = Date.UTC(t.year, t.month - 1, t.day, 12);
      // The first change not already behind the previous sample's window.
      while (next < near.length && near[next] < before - margin) next++;
      ask = next < near.length && near[next] <= now + margin;
      before = now;
    }
    const off = ask ? tz.utcOffset(t) : last;
    if (off === last) continue;
    // Changed within the last week: find the first day with the new offset.
    const day = t.clone();
    for (let back = 1; back < 7; back++) {
      day.adjust(-1, 0, 0, 0);
      if (tz.utcOffset(day) !== off) {
        day.adjust(1, 0, 0, 0);
        break;
      }
    }
    if (day.year < SAMPLE_TO) parts.push(`${day.toICALString().slice(0, 8)}=${off}`);
    last = off;
  }
  return parts;
}
