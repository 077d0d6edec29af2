// Parses the text of one calendar part into VCALENDAR components with ical.js, one part at a time.
// A part that cannot be parsed is reported by the caller; this module never throws past parsePart.
import ICAL from 'ical.js';
import { preScan, type Refused, type ZoneReuse, type ZoneSpan } from './pre-scan.ts';

export interface ParsedPart<T = never> {
  calendars: ICAL.Component[];
  /** Repairs applied to get the part through the parser (reported as warnings). */
  repairs: string[];
  /** Components cut out before parsing (reported as skipped). */
  refused: Refused[];
  /** With `reuse`: the VTIMEZONEs directly in a VCALENDAR, in order, known or read (see PreScan.zones). */
  zones?: Array<ZoneSpan<T>>;
}

export type ParseOutcome<T = never> = { ok: true; value: ParsedPart<T> } | { ok: false; reason: string };

const TOP_LEVEL = new Set(['vcalendar']);
// C0 controls except HTAB, LF and CR (line ends are structure, handled above), and DEL.
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const WRAPPABLE = new Set(['vevent', 'vtodo', 'vjournal', 'vtimezone', 'vfreebusy']);

/** Known-harmless sender quirks fixed before parsing, each reported. Nothing else is altered. */
function repair(text: string, repairs: string[]): string {
  let out = text.replace(/^\uFEFF/, '');
  if (out !== text) repairs.push('removed a byte-order mark');
  // Lone CR line ends (old Mac tools) would glue lines together.
  if (/\r(?!\n)/.test(out)) {
    out = out.replace(/\r(?!\n)/g, '\r\n');
    repairs.push('normalized lone CR line ends');
  }
  // RFC 5545 allows no control character but HTAB in any value; NUL and friends break other programs.
  const controls = out.match(CONTROLS);
  if (controls) {
    out = out.replace(CONTROLS, '');
    const kinds = [...new Set(controls)].slice(0, 5).map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`);
    repairs.push(`removed ${controls.length} control character${controls.length > 1 ? 's' : ''} (${kinds.join(', ')}) that iCalendar does not allow`);
  }
  // Microsoft CDO writes "BYDAY=MO, TU" (spaces in lists), which ical.js rejects.
  out = out.replace(/^(RRULE|EXRULE)([;:].*)$/gim, (line: string) => {
    const fixed = line.replace(/,\s+/g, ',');
    if (fixed !== line) repairs.push('removed spaces inside an RRULE list');
    return fixed;
  });
  // RFC 5546's own example (§4.4.5) writes "RECURRENCE-ID;THISANDFUTURE:", a parameter without a
  // name that ical.js rejects; it means RANGE=THISANDFUTURE.
  out = out.replace(/^(RECURRENCE-ID(?:;[^:\r\n]*)?);THISANDFUTURE(?=[;:])/gim, (_m: string, head: string) => {
    repairs.push('wrote RECURRENCE-ID;THISANDFUTURE as RANGE=THISANDFUTURE');
    return `${head};RANGE=THISANDFUTURE`;
  });
  // Blank lines are not allowed inside a calendar object; they carry no data.
  const noBlank = out.replace(/(\r?\n)(?:[ \t]*\r?\n)+/g, '$1');
  if (noBlank !== out && /\S/.test(noBlank)) {
    out = noBlank;
    repairs.push('removed blank lines');
  }
  return out;
}

/** Why ical.js's parser rejects one property line on its own, or undefined. */
function parserProblem(line: string): string | undefined {
  try {
    ICAL.parse.property(line);
    return undefined;
  } catch (err) {
    return `${line.slice(0, Math.max(0, line.search(/[;:]/))).toUpperCase()} cannot be read (${(err as Error).message})`;
  }
}

/**
 * `reuse`: VTIMEZONE blocks read before (see preScan) are not checked again; `zones` lists, for each
 * VTIMEZONE the parser gives directly in a VCALENDAR, what it gave before or its block's lines.
 */
export function parsePart<T = never>(text: string, reuse?: ZoneReuse<T>): ParseOutcome<T> {
  const repairs: string[] = [];
  const repaired = repair(text, repairs);
  if (!/BEGIN:/i.test(repaired)) return { ok: false, reason: 'no iCalendar data (no BEGIN: line)' };
  let scan = preScan(repaired, undefined, reuse);
  if (scan.error !== undefined) return { ok: false, reason: scan.error };
  if (!scan.text.trim()) return scan.refused.length ? { ok: true, value: { calendars: [], repairs: [...repairs, ...scan.repairs], refused: scan.refused } } : { ok: false, reason: 'calendar contains no components' };
  let jcal: unknown;
  try {
    jcal = ICAL.parse(scan.text);
  } catch (first) {
    // One line the parser cannot take would fail the whole part: find such lines, cut out the
    // components holding them, and read the rest.
    scan = preScan(repaired, parserProblem, reuse);
    try {
      if (scan.error !== undefined) throw new Error(scan.error);
      jcal = ICAL.parse(scan.text);
    } catch {
      return { ok: false, reason: `not valid iCalendar: ${(first as Error).message}` };
    }
  }
  repairs.push(...scan.repairs);
  const roots: unknown[] = Array.isArray((jcal as unknown[])[0]) ? (jcal as unknown[]) : [jcal];
  const calendars: ICAL.Component[] = [];
  const bare: ICAL.Component[] = [];
  for (const root of roots) {
    const comp = new ICAL.Component(root as never);
    if (TOP_LEVEL.has(comp.name)) calendars.push(comp);
    else if (WRAPPABLE.has(comp.name)) bare.push(comp);
    else return { ok: false, reason: `unexpected top-level component ${comp.name.toUpperCase()}` };
  }
  if (bare.length) {
    // A bare VEVENT (no VCALENDAR) is common in exports; wrap it rather than lose it.
    const wrapper = new ICAL.Component('vcalendar');
    for (const c of bare) wrapper.addSubcomponent(c);
    calendars.push(wrapper);
    repairs.push('wrapped components that had no VCALENDAR');
  }
  const hasContent = calendars.some((c) => c.getAllSubcomponents().length > 0);
  if (!hasContent && !scan.refused.length) return { ok: false, reason: 'calendar contains no components' };
  return { ok: true, value: { calendars, repairs, refused: scan.refused, ...(scan.zones ? { zones: scan.zones } : {}) } };
}
