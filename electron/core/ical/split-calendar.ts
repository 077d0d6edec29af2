// Cuts one very large calendar part (a feed export of 200,000 events) into self-contained VCALENDAR
// slices of a bounded number of components, so only one slice is ever parsed at a time. Text-level
// only; anything it does not fully understand is left whole (undefined).

/** Parts up to this many characters are parsed whole, as always: every real invitation is far smaller. */
export const SPLIT_ABOVE_CHARS = 1024 * 1024;

/** Components per slice: parsing one slice takes a few hundred KB, where parsing a whole 25 MB part
 * of 200,000 events held 430 MB at once (measured). 200 rather than 500: less of each parse lives long
 * enough to be promoted (the 25 MB part took 7.3 s at 100 and 8.9 s at 500, and peaked lower). */
export const COMPONENTS_PER_SLICE = 200;

const TAG = /^(BEGIN|END):([A-Za-z0-9-]+)[ \t]*\r?$/i;

interface Span {
  start: number;
  end: number;
}

/**
 * The slices of `text`, each `BEGIN:VCALENDAR` + the calendar's own properties + every VTIMEZONE of the
 * part + up to COMPONENTS_PER_SLICE other components + `END:VCALENDAR`; undefined when the part is small,
 * would give one slice anyway, or is not one plain VCALENDAR (then it is parsed whole, as before).
 */
export function splitLargeCalendar(text: string, above = SPLIT_ABOVE_CHARS, perSlice = COMPONENTS_PER_SLICE): Iterable<string> | undefined {
  if (text.length <= above) return undefined;
  let depth = 0;
  let calendars = 0;
  let headerEnd = -1;
  let calendarEnd = -1;
  let open: { start: number; name: string } | undefined;
  const zones: Span[] = [];
  const comps: Span[] = [];
  for (let pos = 0; pos < text.length;) {
    const nl = text.indexOf('\n', pos);
    const next = nl < 0 ? text.length : nl + 1;
    const c = text.charCodeAt(pos);
    if (c === 0x42 || c === 0x62 || c === 0x45 || c === 0x65) { // B, b, E, e
      const t = TAG.exec(text.slice(pos, nl < 0 ? text.length : nl));
      if (t) {
        const cont = text.charCodeAt(next);
        if (cont === 0x20 || cont === 0x09) return undefined; // a folded BEGIN/END line
        const begin = t[1].toUpperCase() === 'BEGIN';
        const name = t[2].toUpperCase();
        if (begin) {
          if (depth === 0) {
            if (name !== 'VCALENDAR' || ++calendars > 1) return undefined;
          } else if (depth === 1) {
            if (headerEnd < 0) headerEnd = pos;
            open = { start: pos, name };
          }
          depth += 1;
        } else {
          depth -= 1;
          if (depth < 0) return undefined;
          if (depth === 1 && open) {
            if (name !== open.name) return undefined;
            (open.name === 'VTIMEZONE' ? zones : comps).push({ start: open.start, end: next });
            open = undefined;
          } else if (depth === 0) {
            if (name !== 'VCALENDAR') return undefined;
            calendarEnd = pos;
          }
        }
        pos = next;
        continue;
      }
    }
    // Between the components of the calendar only BEGIN/END lines may stand: a property there (or
    // text after the calendar) would belong to no slice.
    if (depth === 1 && headerEnd >= 0 && text.slice(pos, next).trim() !== '') return undefined;
    if (depth === 0 && calendarEnd >= 0 && text.slice(pos, next).trim() !== '') return undefined;
    pos = next;
  }
  if (depth !== 0 || calendarEnd < 0 || headerEnd < 0 || comps.length <= perSlice) return undefined;
  const header = text.slice(0, headerEnd);
  const tz = zones.map((z) => text.slice(z.start, z.end)).join('');
  const footer = text.slice(calendarEnd);
  return (function* slices() {
    for (let i = 0; i < comps.length; i += perSlice) {
      yield header + tz + comps.slice(i, i + perSlice).map((s) => text.slice(s.start, s.end)).join('') + footer;
    }
  })();
}
