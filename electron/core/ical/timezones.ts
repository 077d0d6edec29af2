// Gives every TZID in the output exactly one VTIMEZONE: keeps senders' definitions, merges equivalent
// ones, renames conflicting ones, supplies missing ones. Works on prepared zone records (text plus
// meaning), so a merge of cached parts parses no VTIMEZONE again. Deterministic; never does I/O.
import ICAL from 'ical.js';
import { resolveTzid } from './tz-resolve.ts';
import type { ZoneLookup } from './revision.ts';
import { checkComponentText, type CheckedText } from './output-check.ts';
import { semanticSignature } from './zone-signature.ts';

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

// Per-process memos; bounded so a mailbox of endlessly varied zones cannot grow them without limit.
const MEMO_LIMIT = 2000;
const timezoneCache = new Map<string, ICAL.Timezone>();
function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size >= MEMO_LIMIT) map.clear();
  map.set(key, value);
  return value;
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
