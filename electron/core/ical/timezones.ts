// Gives every TZID in the output exactly one VTIMEZONE: keeps senders' definitions, merges equivalent
// ones, renames conflicting ones, supplies missing ones. Pure and deterministic; never does I/O.
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { resolveTzid } from './tz-resolve.ts';

export interface TzSource {
  label: string;
  vtimezones: ICAL.Component[];
  referenced: Set<string>;
}

export interface TzProblem {
  tzid: string;
  source: string;
  reason: string;
}

interface Known {
  comp: ICAL.Component;
  signature: string;
}

function tzidOf(comp: ICAL.Component): string {
  return String(comp.getFirstPropertyValue('tzid') ?? '').trim();
}

function isUsable(comp: ICAL.Component): boolean {
  return comp.getAllSubcomponents().some((s) => (s.name === 'standard' || s.name === 'daylight') && s.hasProperty('tzoffsetto') && s.hasProperty('dtstart'));
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
const signatureCache = new Map<string, string>();

/** What a zone means: its UTC offset at local noon on every day of the sample window. */
function semanticSignature(comp: ICAL.Component): string {
  const key = textKey(comp);
  const cached = signatureCache.get(key);
  if (cached) return cached;
  let sig: string;
  try {
    const tz = new ICAL.Timezone(comp);
    const parts: string[] = [];
    let last: number | undefined;
    const t = ICAL.Time.fromData({ year: SAMPLE_FROM, month: 1, day: 1, hour: 12, minute: 0, second: 0, isDate: false });
    while (t.year < SAMPLE_TO) {
      const off = tz.utcOffset(t);
      if (off !== last) {
        parts.push(`${t.toICALString().slice(0, 8)}=${off}`);
        last = off;
      }
      t.adjust(1, 0, 0, 0);
    }
    sig = parts.join(',');
  } catch {
    sig = `text:${key}`;
  }
  signatureCache.set(key, sig);
  return sig;
}

function withTzid(comp: ICAL.Component, tzid: string): ICAL.Component {
  const copy = ICAL.Component.fromString(comp.toString());
  copy.updatePropertyWithValue('tzid', tzid);
  return copy;
}

export class TimezoneCollector {
  readonly problems: TzProblem[] = [];
  /** Output TZID → definition. */
  private readonly zones = new Map<string, Known>();
  /** Original TZID → output TZIDs defined under it, first one first. */
  private readonly variants = new Map<string, string[]>();

  private defineVariant(tzid: string, comp: ICAL.Component): string {
    const signature = semanticSignature(comp);
    const names = this.variants.get(tzid) ?? [];
    for (const n of names) if (this.zones.get(n)!.signature === signature) return n;
    let name = tzid;
    for (let i = 2; this.zones.has(name); i++) name = `${tzid} (${i})`;
    this.zones.set(name, { comp: name === tzid ? ICAL.Component.fromString(comp.toString()) : withTzid(comp, name), signature });
    this.variants.set(tzid, [...names, name]);
    return name;
  }

  private problem(tzid: string, source: string, reason: string): void {
    if (!this.problems.some((p) => p.tzid === tzid && p.source === source && p.reason === reason)) this.problems.push({ tzid, source, reason });
  }

  add(src: TzSource): Map<string, string> {
    const map = new Map<string, string>();
    const invalid = new Set<string>();
    for (const comp of src.vtimezones) {
      const tzid = tzidOf(comp);
      if (!tzid) continue;
      if (!isUsable(comp)) {
        invalid.add(tzid);
        continue;
      }
      map.set(tzid, this.defineVariant(tzid, comp));
    }
    for (const tzid of [...src.referenced].sort()) {
      if (map.has(tzid)) continue;
      const known = this.variants.get(tzid);
      if (known) {
        map.set(tzid, known[0]);
        continue;
      }
      const resolved = resolveTzid(tzid);
      if (resolved) {
        const name = this.variants.get(resolved.iana)?.[0] ?? this.defineVariant(resolved.iana, resolved.comp);
        map.set(tzid, name);
        if (invalid.has(tzid)) this.problem(tzid, src.label, `VTIMEZONE "${tzid}" has no usable observances; replaced by the ${resolved.iana} definition`);
        continue;
      }
      map.set(tzid, tzid);
      this.problem(tzid, src.label, invalid.has(tzid)
        ? `VTIMEZONE "${tzid}" has no usable observances and the name is not a known IANA or Windows zone; times in it are kept as written`
        : `TZID "${tzid}" has no VTIMEZONE and is not a known IANA or Windows zone name; times in it are kept as written`);
    }
    return map;
  }

  vtimezonesFor(used: Iterable<string>): ICAL.Component[] {
    return [...new Set(used)]
      .filter((t) => this.zones.has(t))
      .sort()
      .map((t) => ICAL.Component.fromString(this.zones.get(t)!.comp.toString()));
  }

  registerAll(): void {
    for (const [name, z] of this.zones) {
      ICAL.TimezoneService.remove(name);
      ICAL.TimezoneService.register(new ICAL.Timezone(withTzid(z.comp, name)), name);
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
