// The last gate before the feed: a component's serialized text must be exactly one well-formed
// component (properly nested BEGIN/END, every unfolded line an RFC 5545 content line, readable
// dates) or it does not go out. No byte of mail may become structure of the feed; this never throws.
import { MAX_NESTING_DEPTH, MAX_SUBCOMPONENTS } from '../limits.ts';
import { parseContentLine } from './content-line.ts';
import { checkPropertyValue, checkValueParam } from './value-check.ts';

declare const checked: unique symbol;
/** Component text that passed checkComponentText: the only kind serializeCalendar takes. */
export type CheckedText = string & { readonly [checked]: true };

/** Components that stand directly in a VCALENDAR and nowhere else. */
const TOP = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE', 'VAVAILABILITY']);
/** Where the other standard components may stand (RFC 5545, 7953, 9073, 9074). */
const PARENTS: Record<string, Set<string>> = {
  STANDARD: new Set(['VTIMEZONE']),
  DAYLIGHT: new Set(['VTIMEZONE']),
  VALARM: new Set(['VEVENT', 'VTODO']),
  AVAILABLE: new Set(['VAVAILABILITY']),
};

/** Properties a component may hold once (RFC 5545): two UIDs or two DTSTARTs would let a reader pick either. */
const ONCE = new Set(['UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'DUE', 'DURATION', 'RECURRENCE-ID', 'SEQUENCE', 'STATUS']);

export type CheckOutcome = { ok: true; text: CheckedText } | { ok: false; reason: string };

/**
 * Checks the text of one component of the given kind (lower or upper case) as it will be written:
 * CRLF line ends, folded lines continued by a space or tab.
 */
export function checkComponentText(text: string, kind: string): CheckOutcome {
  const fail = (reason: string): CheckOutcome => ({ ok: false, reason });
  const want = kind.toUpperCase();
  const physical = text.split('\r\n');
  const lines: string[] = [];
  for (const [i, p] of physical.entries()) {
    if (/[\r\n]/.test(p)) return fail(`a line break inside line ${i + 1}`);
    if (p[0] === ' ' || p[0] === '\t') {
      if (!lines.length) return fail('the text starts with a continuation line');
      lines[lines.length - 1] += p.slice(1);
    } else {
      if (!p) return fail(`an empty line (line ${i + 1})`);
      lines.push(p);
    }
  }
  const stack: Array<{ name: string; children: number; once: Set<string> }> = [];
  let closed = false;
  for (const line of lines) {
    if (closed) return fail(`text after END:${want}`);
    const parsed = parseContentLine(line, true);
    if (!parsed.ok) return fail(`not a well-formed content line: ${parsed.reason}`);
    const { name, params, value } = parsed.line;
    if (name === 'BEGIN' || name === 'END') {
      const comp = value.toUpperCase();
      if (params.length || !/^[A-Z0-9-]+$/.test(comp)) return fail(`a malformed ${name} line (${JSON.stringify(line.slice(0, 60))})`);
      if (name === 'BEGIN') {
        const parent = stack[stack.length - 1];
        if (!parent && comp !== want) return fail(`starts with BEGIN:${comp}, not BEGIN:${want}`);
        if (parent) {
          if (comp === 'VCALENDAR' || TOP.has(comp)) return fail(`a ${comp} inside ${parent.name}`);
          const allowed = PARENTS[comp];
          if (allowed && !allowed.has(parent.name)) return fail(`a ${comp} inside ${parent.name}`);
          parent.children += 1;
          if (parent.children > MAX_SUBCOMPONENTS) return fail(`${parent.name} has more than ${MAX_SUBCOMPONENTS} sub-components`);
        }
        stack.push({ name: comp, children: 0, once: new Set() });
        // The component stands inside a VCALENDAR: one level more than its own stack.
        if (stack.length + 1 > MAX_NESTING_DEPTH) return fail(`nested more than ${MAX_NESTING_DEPTH} levels deep`);
      } else {
        const open = stack.pop();
        if (!open || open.name !== comp) return fail(`END:${comp} closes ${open ? `BEGIN:${open.name}` : 'nothing'}`);
        if (!stack.length) closed = true;
      }
      continue;
    }
    if (!stack.length) return fail(`a property outside the component (${name})`);
    const own = stack[stack.length - 1].once;
    if (ONCE.has(name)) {
      if (own.has(name)) return fail(`${name} given twice in ${stack[stack.length - 1].name}`);
      own.add(name);
    }
    if ((name === 'DTEND' && own.has('DURATION')) || (name === 'DURATION' && own.has('DTEND'))) return fail('both DTEND and DURATION (RFC 5545 allows one)');
    const bad = checkValueParam(parsed.line) ?? checkPropertyValue(parsed.line);
    if (bad) return fail(bad);
  }
  if (!closed) return fail(`no END:${want}`);
  return { ok: true, text: text as CheckedText };
}

/**
 * Why a checked component cannot stand in a published calendar, or undefined: a calendar without
 * METHOD requires DTSTART in every VEVENT (RFC 5545 3.6.1), and khal and Radicale refuse one without.
 * Asked of what is written, not of every revision: a CANCEL may well come without DTSTART.
 */
export function publishProblem(text: CheckedText, kind: string): string | undefined {
  return kind.toLowerCase() === 'vevent' && !/\r\nDTSTART[;:]/i.test(text) ? 'a VEVENT without DTSTART (a published calendar requires one)' : undefined;
}
