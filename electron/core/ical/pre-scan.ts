// Reads a calendar part line by line before ical.js does: drops lines that are not content lines,
// and cuts out whole components that are nested too deep, too large, or hold a value calendar
// programs cannot read, so one bad component costs only itself. Never throws; never parses recursively.
import { MAX_COMPONENTS_PER_PART, MAX_NESTING_DEPTH, MAX_SUBCOMPONENTS } from '../limits.ts';
import { parseContentLine, unfoldLines } from './content-line.ts';
import { checkPropertyValue, checkValueParam, repairLine } from './value-check.ts';

/** A component cut out before parsing, and why. */
export interface Refused {
  /** Lower-case component name, as ical.js names it. */
  kind: string;
  uid?: string;
  reason: string;
}

export interface PreScan<T = never> {
  /** The part as unfolded lines (CRLF), without the dropped lines and cut components. */
  text: string;
  repairs: string[];
  refused: Refused[];
  /** Set when the part as a whole cannot be taken (nothing else is set then). */
  error?: string;
  /**
   * With `reuse`: the VTIMEZONEs directly inside a VCALENDAR that were not refused, in order (as the
   * parser will give them): each either known (what `reuse` gave for it; its lines left unchecked)
   * or read, with its block's lines as `key` when preScan changed none of them.
   */
  zones?: Array<ZoneSpan<T>>;
}

export type ZoneSpan<T> = { reused: T } | { reused?: undefined; key?: string };

/** A VTIMEZONE block (its unfolded lines, CRLF-joined) read before: what it gave, and how many BEGIN lines it holds. */
export type ZoneReuse<T> = (block: string) => { value: T; components: number } | undefined;

/** Components whose values are checked: the ones that can reach the feed. */
const CHECKED = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VTIMEZONE']);

interface Span {
  kind: string;
  start: number;
  /** Stack depth at which the span's own properties sit. */
  level: number;
  uid?: string;
  reason?: string;
}

interface Open {
  name: string;
  children: number;
}

/**
 * `lineProblem` adds a check per property line (used to find the lines the parser itself rejects);
 * a line it objects to is treated like one with an invalid value.
 */
export function preScan<T = never>(source: string, lineProblem?: (line: string) => string | undefined, reuse?: ZoneReuse<T>): PreScan<T> {
  const lines = unfoldLines(source);
  // Zones directly inside a VCALENDAR, in order (see PreScan.zones), and the one being read.
  const zones: Array<ZoneSpan<T>> = [];
  let zone: { start: number; clean: boolean } | undefined;
  const keep = new Array<boolean>(lines.length).fill(true);
  const repairs: string[] = [];
  const refused: Refused[] = [];
  const dropped: string[] = [];
  const fixes: string[] = [];
  const stack: Open[] = [];
  let span: Span | undefined;
  let components = 0;
  // A bare component (no VCALENDAR) is wrapped in one later: count the wrapper's level too.
  let base = 0;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const structure = /^(BEGIN|END)([:;])(.*)$/i.exec(line);
    if (structure) {
      if (structure[2] === ';') {
        // ical.js reads "BEGIN;X=1:VEVENT" as a property called BEGIN, and writes it back as a line
        // other programs take for structure.
        keep[i] = false;
        dropped.push(`a ${structure[1].toUpperCase()} line with parameters (${JSON.stringify(line.slice(0, 60))})`);
        if (zone) zone.clean = false;
        continue;
      }
      const name = structure[3].trim().toUpperCase();
      const what = structure[1].toUpperCase();
      if (!/^[A-Z0-9-]+$/.test(name)) return { text: '', repairs, refused, error: `not valid iCalendar: a ${what} line that names no component type (${JSON.stringify(line.slice(0, 60))})` };
      if (zone && lines[i] !== `${what}:${name}`) zone.clean = false;
      lines[i] = `${what}:${name}`;
      if (what === 'BEGIN') {
        if (!stack.length) {
          base = name === 'VCALENDAR' ? 0 : 1;
          // A bare component is wrapped in a calendar of its own after the others, which would put the
          // zones out of order: such a part is read without reuse.
          if (base === 1 && reuse) return preScan(source, lineProblem);
        }
        // A VTIMEZONE block read before, line for line, that left this scan nothing to change: its
        // lines stay as they are, unchecked, and what it gave then is handed on. Its lines were
        // checked, its structure is whole, and a block directly in a VCALENDAR is read alike wherever
        // it stands, so checking it again could only repeat that.
        if (reuse && !span && name === 'VTIMEZONE' && base === 0 && stack.length === 1 && line === 'BEGIN:VTIMEZONE') {
          const end = lines.indexOf('END:VTIMEZONE', i + 1);
          const known = end > i ? reuse(lines.slice(i, end + 1).join('\r\n')) : undefined;
          if (known) {
            components += known.components;
            if (components > MAX_COMPONENTS_PER_PART) return { text: '', repairs, refused, error: `more than ${MAX_COMPONENTS_PER_PART} components in one part (the limit)` };
            stack[0].children += 1;
            zones.push({ reused: known.value });
            i = end;
            continue;
          }
        }
        // Components of a span already refused never reach ical.js: they do not count.
        if (!span?.reason) components += 1;
        if (components > MAX_COMPONENTS_PER_PART) return { text: '', repairs, refused, error: `more than ${MAX_COMPONENTS_PER_PART} components in one part (the limit)` };
        const parent = stack[stack.length - 1];
        if (parent) parent.children += 1;
        stack.push({ name, children: 0 });
        const depth = stack.length + base;
        if (!span && depth === 2) {
          span = { kind: name, start: i, level: stack.length };
          if (reuse && name === 'VTIMEZONE' && base === 0) zone = { start: i, clean: line === 'BEGIN:VTIMEZONE' };
        }
        if (span && !span.reason) {
          if (depth > MAX_NESTING_DEPTH) span.reason = `components nested ${depth} levels deep (the limit is ${MAX_NESTING_DEPTH})`;
          else if (parent && parent.name !== 'VCALENDAR' && parent.children > MAX_SUBCOMPONENTS) span.reason = `${parent.name} has more than ${MAX_SUBCOMPONENTS} sub-components (the limit)`;
          else if (name === 'VCALENDAR') span.reason = 'a VCALENDAR inside a calendar';
        }
      } else {
        const open = stack.pop();
        if (span && open && open.name !== name && !span.reason) span.reason = `END:${name} closes BEGIN:${open.name}`;
        if (span && stack.length < span.level) {
          if (span.reason) {
            keep.fill(false, span.start, i + 1);
            refused.push({ kind: span.kind.toLowerCase(), ...(span.uid !== undefined ? { uid: span.uid } : {}), reason: span.reason });
          } else if (zone) zones.push({ key: zone.clean ? lines.slice(zone.start, i + 1).join('\r\n') : undefined });
          span = undefined;
          zone = undefined;
        }
      }
      continue;
    }
    let parsed = parseContentLine(line, false);
    if (!parsed.ok) {
      keep[i] = false;
      dropped.push(parsed.reason);
      if (zone) zone.clean = false;
      continue;
    }
    if (parsed.line.clean !== line) {
      fixes.push('removed empty parameters (";;")');
      lines[i] = parsed.line.clean;
      if (zone) zone.clean = false;
    }
    const fixed = repairLine(lines[i], parsed.line);
    if (fixed) {
      if (zone) zone.clean = false;
      fixes.push(fixed.note);
      if (!fixed.text) {
        keep[i] = false;
        continue;
      }
      lines[i] = fixed.text;
      const again = parseContentLine(fixed.text, false);
      if (!again.ok) return { text: '', repairs, refused, error: `internal: a repaired line does not read back (${again.reason})` };
      parsed = again;
    }
    const inSpan = span && stack.length >= span.level;
    if (inSpan && stack.length === span!.level && parsed.line.name === 'UID') span!.uid = parsed.line.value;
    const checked = !inSpan || CHECKED.has(span!.kind);
    const problem = (checked ? checkValueParam(parsed.line) ?? checkPropertyValue(parsed.line) : undefined) ?? lineProblem?.(lines[i]);
    if (!problem) continue;
    if (zone) zone.clean = false;
    if (inSpan) span!.reason ??= problem;
    else {
      keep[i] = false;
      dropped.push(problem);
    }
  }
  for (const f of [...new Set(fixes)]) repairs.push(f);
  if (dropped.length) {
    repairs.push(dropped.length === 1
      ? `dropped a line that is not a readable iCalendar content line: ${dropped[0]}`
      : `dropped ${dropped.length} lines that are not readable iCalendar content lines; the first: ${dropped[0]}`);
  }
  const text = lines.filter((_, i) => keep[i]).join('\r\n');
  return { text: text ? `${text}\r\n` : '', repairs, refused, ...(reuse ? { zones } : {}) };
}
