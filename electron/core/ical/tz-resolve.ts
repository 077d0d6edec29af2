// Finds a VTIMEZONE definition for a TZID that came without one: IANA names and aliases, Windows
// names (via windows-iana), and vendor-prefixed names like /mozilla.org/…/Europe/Berlin. Pure lookup.
import ICAL from 'ical.js';
import { createRequire } from 'node:module';
import type { findIana as FindIana } from 'windows-iana';
import { tzlib_get_ical_block, tzlib_get_timezones } from 'timezones-ical-library';

// Loaded when a TZID first needs it: its tables cost a run ~9 MB, and most mail names IANA zones.
const requireHere = createRequire(import.meta.url);
let windowsIana: typeof FindIana | undefined;
function findIana(): typeof FindIana {
  return (windowsIana ??= (requireHere('windows-iana') as { findIana: typeof FindIana }).findIana);
}

export interface Resolved {
  /** The IANA name the reference should use. */
  iana: string;
  comp: ICAL.Component;
}

// The library logs to the console for unknown names, so ask only for names it lists.
const KNOWN = new Set<string>(tzlib_get_timezones() as string[]);

function ianaBlock(name: string): ICAL.Component | undefined {
  if (!KNOWN.has(name)) return undefined;
  const block = tzlib_get_ical_block(name);
  if (!Array.isArray(block) || !block[0]?.startsWith('BEGIN:VTIMEZONE')) return undefined;
  const comp = ICAL.Component.fromString(block[0]);
  // LAST-MODIFIED changes with every data release; dropping it keeps unchanged feeds byte-identical.
  comp.removeAllProperties('last-modified');
  return comp;
}

const UTC_NAMES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'z', 'zulu', 'universal', 'etc/universal']);

function candidates(tzid: string): string[] {
  const out: string[] = [];
  const t = tzid.trim().replace(/^"|"$/g, '');
  if (UTC_NAMES.has(t.toLowerCase())) out.push('Etc/UTC');
  out.push(t);
  // Vendor prefixes: "/mozilla.org/20070129_1/Europe/Berlin", "/citadel.org/20190914_1/Europe/Berlin".
  const tail = /([A-Za-z_]+\/[A-Za-z_+\-0-9]+(?:\/[A-Za-z_+\-0-9]+)?)$/.exec(t);
  if (tail && tail[1] !== t) out.push(tail[1]);
  const windows = findIana()(t);
  if (windows.length) out.push(windows[0]);
  return out;
}

export function resolveTzid(tzid: string): Resolved | undefined {
  for (const name of candidates(tzid)) {
    const comp = ianaBlock(name);
    if (comp) return { iana: String(comp.getFirstPropertyValue('tzid')), comp };
  }
  return undefined;
}
