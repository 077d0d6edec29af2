// Gives every TZID in the output exactly one VTIMEZONE: keeps senders' definitions, merges equivalent
// ones, renames conflicting ones, supplies missing ones. Works on prepared zone records (text plus
// meaning), so a merge of cached parts parses no VTIMEZONE again. Deterministic; never does I/O.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { resolveTzid } from './tz-resolve.ts';
import type { ZoneLookup } from './revision.ts';
import { checkComponentText, type CheckedText } from './output-check.ts';
import { ZoneFactMemo, zoneFact } from './zone-facts.ts';

export interface ZoneRecord {
  tzid: string;
  usable: boolean;
  sig: string;
  text: CheckedText;
}

export interface TzProblem {
  tzid: string;
  source: string;
  reason: string;
}

interface Known {
  text: CheckedText;
  sig: string;
  /** The definition came from timezones-ical-library, not from a sender. */
  library?: boolean;
  /** The text as given (before a rename to "Name (2)"), to compare definitions by. */
  given?: string;
}

/**
 * Of two definitions that mean the same, the one the output keeps: a sender's over the library's,
 * then the smaller text. Never "the first one seen", so the order of the mails does not matter.
 */
function better(a: Known, b: Known): boolean {
  if (!!a.library !== !!b.library) return !a.library;
  return (a.given ?? a.text) < (b.given ?? b.text);
}

export function tzidOf(comp: ICAL.Component): string {
  return String(comp.getFirstPropertyValue('tzid') ?? '').trim();
}

export function isUsableZone(comp: ICAL.Component): boolean {
  return comp.getAllSubcomponents().some((s) => (s.name === 'standard' || s.name === 'daylight') && s.hasProperty('tzoffsetto') && s.hasProperty('dtstart'));
}

/** A component as output text: folded within 75 octets, CRLF line ends, no final line end. */
export function componentText(comp: ICAL.Component): string {
  // ical.js counts foldLength without the leading space of continuation lines, so 75 would give
  // 76-octet lines; 74 keeps every line within RFC 5545's 75 octets.
  const saved = ICAL.foldLength;
  ICAL.foldLength = 74;
  try {
    return comp.toString().replace(/\r?\n/g, '\r\n');
  } finally {
    ICAL.foldLength = saved;
  }
}

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
// Per-process memos; bounded so a mailbox of endlessly varied zones cannot grow them without limit.
const MEMO_LIMIT = 2000;
const timezoneCache = new Map<string, ICAL.Timezone>();
// A zone's signature, kept across runs by the sync cache (zone-facts.ts): working it out costs a fresh
// process ~50-85 ms. The version names the sampling: bump the "1" when the computation changes.
const signatureFacts = new ZoneFactMemo('zone-signature', `1|${SAMPLE_FROM}-${SAMPLE_TO}`, (v): v is string => typeof v === 'string' && /^(text:)?[0-9a-f]{32}$/.test(v));

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, value);
  return value;
}

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

/** An ical.js zone for a prepared definition; one per meaning, so every part computes alike. */
export function timezoneFor(sig: string, text: string): ICAL.Timezone | undefined {
  const cached = timezoneCache.get(sig);
  if (cached) return cached;
  try {
    return remember(timezoneCache, sig, new ICAL.Timezone(ICAL.Component.fromString(text)));
  } catch {
    return undefined;
  }
}

const resolvedCache = new Map<string, { iana: string; text: CheckedText; sig: string } | null>();

/** The built-in definition for a TZID that came without one (IANA, Windows or vendor-prefixed name). */
export function resolvedZone(tzid: string): { iana: string; text: CheckedText; sig: string } | undefined {
  let r = resolvedCache.get(tzid);
  if (r === undefined) {
    const found = resolveTzid(tzid);
    // Built-in data, but written out like any zone: only through the output check.
    const checked = found ? checkComponentText(componentText(found.comp), 'vtimezone') : undefined;
    r = remember(resolvedCache, tzid, found && checked?.ok ? { iana: found.iana, text: checked.text, sig: semanticSignature(found.comp) } : null);
  }
  return r ?? undefined;
}

/** The zone's text under the output name `name` (its own when unchanged); throws when it cannot be written so. */
function textAs(text: CheckedText, tzid: string, name: string): CheckedText {
  if (name === tzid) return text;
  const renamed = withTzid(text, name);
  if (renamed === undefined) throw new Error(`VTIMEZONE "${tzid}" cannot be written as "${name}"`);
  return renamed;
}

/** The zone's text under another TZID, checked; undefined when it cannot be written so. */
function withTzid(text: string, tzid: string): CheckedText | undefined {
  const copy = ICAL.Component.fromString(text);
  copy.updatePropertyWithValue('tzid', tzid);
  const checked = checkComponentText(componentText(copy), 'vtimezone');
  return checked.ok ? checked.text : undefined;
}

export class TimezoneCollector {
  readonly problems: TzProblem[] = [];
  /** Output TZID → definition. */
  private readonly zones = new Map<string, Known>();
  /** Original TZID → output TZIDs defined under it, first one first. */
  private readonly variants = new Map<string, string[]>();

  private defineVariant(tzid: string, z: Known): string {
    const names = this.variants.get(tzid) ?? [];
    for (const n of names) {
      const known = this.zones.get(n)!;
      if (known.sig !== z.sig) continue;
      if (better(z, known)) this.zones.set(n, { text: textAs(z.text, tzid, n), sig: z.sig, given: z.text, ...(z.library ? { library: true } : {}) });
      return n;
    }
    let name = tzid;
    for (let i = 2; this.zones.has(name); i++) name = `${tzid} (${i})`;
    this.zones.set(name, { text: textAs(z.text, tzid, name), sig: z.sig, given: z.text, ...(z.library ? { library: true } : {}) });
    this.variants.set(tzid, [...names, name]);
    return name;
  }

  private problem(tzid: string, source: string, reason: string): void {
    if (!this.problems.some((p) => p.tzid === tzid && p.source === source && p.reason === reason)) this.problems.push({ tzid, source, reason });
  }

  /** Takes one part's zones; returns how its TZIDs are named in the output. */
  add(label: string, zones: ZoneRecord[], referenced: Iterable<string>): Map<string, string> {
    const map = new Map<string, string>();
    const invalid = new Set<string>();
    for (const z of zones) {
      if (!z.usable) {
        invalid.add(z.tzid);
        continue;
      }
      map.set(z.tzid, this.defineVariant(z.tzid, z));
    }
    for (const tzid of [...new Set(referenced)].sort()) {
      if (map.has(tzid)) continue;
      const known = this.variants.get(tzid);
      if (known) {
        map.set(tzid, known[0]);
        continue;
      }
      const resolved = resolvedZone(tzid);
      if (resolved) {
        const name = this.variants.get(resolved.iana)?.[0] ?? this.defineVariant(resolved.iana, { ...resolved, library: true });
        map.set(tzid, name);
        if (invalid.has(tzid)) this.problem(tzid, label, `VTIMEZONE "${tzid}" has no usable observances; replaced by the ${resolved.iana} definition`);
        continue;
      }
      map.set(tzid, tzid);
      this.problem(tzid, label, invalid.has(tzid)
        ? `VTIMEZONE "${tzid}" has no usable observances and the name is not a known IANA or Windows zone; times in it are kept as written`
        : `TZID "${tzid}" has no VTIMEZONE and is not a known IANA or Windows zone name; times in it are kept as written`);
    }
    return map;
  }

  /** The meaning of an output TZID; undefined when it has no definition (kept as written). */
  sigOf(name: string): string | undefined {
    return this.zones.get(name)?.sig;
  }

  /** Looks output TZIDs up in the collected definitions. */
  readonly lookup: ZoneLookup = (name) => {
    const z = this.zones.get(name);
    return z ? { tz: timezoneFor(z.sig, z.text), sig: z.sig } : undefined;
  };

  vtimezoneTexts(used: Iterable<string>): CheckedText[] {
    return [...new Set(used)]
      .filter((t) => this.zones.has(t))
      .sort()
      .map((t) => this.zones.get(t)!.text);
  }

  /** Registers every output zone with ical.js, for code that reads times from parsed components. */
  registerAll(): void {
    for (const [name, z] of this.zones) {
      ICAL.TimezoneService.remove(name);
      try {
        ICAL.TimezoneService.register(new ICAL.Timezone(ICAL.Component.fromString(z.text)), name);
      } catch (err) {
        // Times in a zone ical.js cannot build are read as written; the feed still carries the definition.
        this.problem(name, name, `VTIMEZONE "${name}" could not be loaded (${(err as Error).message}); times in it are read as written`);
      }
    }
  }
}

/** Rewrites TZID parameters throughout a component tree. */
export function rewriteTzids(comp: ICAL.Component, map: Map<string, string>): void {
  for (const prop of comp.getAllProperties()) {
    const tzid = prop.getParameter('tzid');
    if (typeof tzid === 'string') {
      const to = map.get(tzid);
      if (to !== undefined && to !== tzid) prop.setParameter('tzid', to);
    }
  }
  for (const sub of comp.getAllSubcomponents()) rewriteTzids(sub, map);
}
