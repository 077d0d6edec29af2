// Parses the text of one calendar part into VCALENDAR components with ical.js, one part at a time.
// A part that cannot be parsed is reported by the caller; this module never throws past parsePart.
import ICAL from 'ical.js';

export interface ParsedPart {
  calendars: ICAL.Component[];
  /** Repairs applied to get the part through the parser (reported as warnings). */
  repairs: string[];
}

export type ParseOutcome = { ok: true; value: ParsedPart } | { ok: false; reason: string };

const TOP_LEVEL = new Set(['vcalendar']);
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

export function parsePart(text: string): ParseOutcome {
  const repairs: string[] = [];
  const source = repair(text, repairs);
  if (!/BEGIN:/i.test(source)) return { ok: false, reason: 'no iCalendar data (no BEGIN: line)' };
  let jcal: unknown;
  try {
    jcal = ICAL.parse(source);
  } catch (err) {
    return { ok: false, reason: `not valid iCalendar: ${(err as Error).message}` };
  }
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
  if (!hasContent) return { ok: false, reason: 'calendar contains no components' };
  return { ok: true, value: { calendars, repairs } };
}
