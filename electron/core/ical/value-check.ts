// Checks the values calendar programs compute with: dates and times (real calendar days and clock
// times in the accepted year range), periods, durations, UTC offsets and recurrence rules. Pure; never throws.
import { MAX_YEAR, MIN_YEAR } from '../limits.ts';
import { paramOf, type ContentLine } from './content-line.ts';

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function leap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Why a DATE (YYYYMMDD) is not a real day in the accepted range, or undefined. */
function dateProblem(y: number, m: number, d: number): string | undefined {
  if (y < MIN_YEAR || y > MAX_YEAR) return `year ${String(y).padStart(4, '0')} is outside ${MIN_YEAR}–${MAX_YEAR}`;
  if (m < 1 || m > 12) return `month ${m} does not exist`;
  const last = m === 2 && leap(y) ? 29 : DAYS[m - 1];
  if (d < 1 || d > last) return `day ${d} does not exist in month ${m}`;
  return undefined;
}

/** Why the text is not a DATE, or undefined. */
export function checkDate(v: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return 'not of the form YYYYMMDD';
  return dateProblem(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Why the text is not a DATE-TIME (local, or UTC when `utc` is 'required'), or undefined. */
export function checkDateTime(v: string, utc: 'allowed' | 'required' = 'allowed'): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(v);
  if (!m) return 'not of the form YYYYMMDDTHHMMSS';
  const day = dateProblem(Number(m[1]), Number(m[2]), Number(m[3]));
  if (day) return day;
  if (Number(m[4]) > 23) return `hour ${Number(m[4])} does not exist`;
  if (Number(m[5]) > 59) return `minute ${Number(m[5])} does not exist`;
  // RFC 5545 allows 60 for a leap second, but Python's datetime (khal, vobject, Radicale) cannot hold it.
  if (Number(m[6]) > 59) return `second ${Number(m[6])} is not accepted (leap seconds are not readable by calendar programs)`;
  if (utc === 'required' && !m[7]) return 'not a UTC time (no trailing Z)';
  return undefined;
}

const DURATION = /^[+-]?P(?:\d+W|(?:\d+D)?(?:T(?:\d+H(?:\d+M)?(?:\d+S)?|\d+M(?:\d+S)?|\d+S))?)$/;

export function checkDuration(v: string): string | undefined {
  return DURATION.test(v) && v !== 'P' && !/P$/.test(v) ? undefined : 'not a duration like PT1H30M or P1D';
}

function checkPeriod(v: string): string | undefined {
  const [start, end, ...rest] = v.split('/');
  if (end === undefined || rest.length) return 'not a period START/END or START/DURATION';
  return checkDateTime(start) ?? (end.startsWith('P') || /^[+-]/.test(end) ? checkDuration(end) : checkDateTime(end));
}

function checkOffset(v: string): string | undefined {
  const m = /^([+-])(\d{2})(\d{2})(\d{2})?$/.exec(v);
  if (!m) return 'not a UTC offset like +0100';
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return 'not a UTC offset (hours 0–23, minutes 0–59)';
  if (m[1] === '-' && Number(m[2]) + Number(m[3]) + Number(m[4] ?? 0) === 0) return '-0000 is not allowed (RFC 5545)';
  return undefined;
}

const WEEKDAY = '(?:SU|MO|TU|WE|TH|FR|SA)';
const intList = (min: number, max: number, signed: boolean) => (v: string) =>
  v.split(',').every((x) => {
    const m = (signed ? /^[+-]?(\d{1,3})$/ : /^(\d{1,2})$/).exec(x);
    return !!m && Number(m[1]) >= min && Number(m[1]) <= max;
  });
const RECUR_PARTS: Record<string, (v: string) => boolean> = {
  FREQ: (v) => /^(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)$/.test(v),
  UNTIL: () => true, // checked as a date below
  COUNT: (v) => /^\d{1,10}$/.test(v) && Number(v) > 0,
  INTERVAL: (v) => /^\d{1,10}$/.test(v) && Number(v) > 0,
  BYSECOND: intList(0, 60, false),
  BYMINUTE: intList(0, 59, false),
  BYHOUR: intList(0, 23, false),
  BYDAY: (v) => v.split(',').every((x) => new RegExp(`^[+-]?(?:[1-9]|[1-4]\\d|5[0-3])?${WEEKDAY}$`).test(x)),
  BYMONTHDAY: intList(1, 31, true),
  BYYEARDAY: intList(1, 366, true),
  BYWEEKNO: intList(1, 53, true),
  // RFC 7529 leap months ("5L") are allowed.
  BYMONTH: (v) => v.split(',').every((x) => /^\d{1,2}L?$/.test(x) && Number(x.replace('L', '')) >= 1 && Number(x.replace('L', '')) <= 13),
  BYSETPOS: intList(1, 366, true),
  WKST: (v) => new RegExp(`^${WEEKDAY}$`).test(v),
  RSCALE: (v) => /^[A-Za-z0-9-]+$/.test(v),
  SKIP: (v) => /^(OMIT|BACKWARD|FORWARD)$/.test(v),
};

export function checkRecur(v: string): string | undefined {
  const seen = new Set<string>();
  for (const part of v.split(';')) {
    const eq = part.indexOf('=');
    const key = (eq > 0 ? part.slice(0, eq) : part).toUpperCase();
    const val = eq > 0 ? part.slice(eq + 1) : '';
    const test = RECUR_PARTS[key];
    if (!test) return `unknown rule part ${JSON.stringify(part)}`;
    if (seen.has(key)) return `${key} given twice`;
    seen.add(key);
    if (!test(val.toUpperCase())) return `${key}=${val} is not valid`;
    if (key === 'UNTIL') {
      const why = val.includes('T') ? checkDateTime(val) : checkDate(val);
      if (why) return `UNTIL ${JSON.stringify(val)}: ${why}`;
    }
  }
  if (!seen.has('FREQ')) return 'no FREQ';
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'both COUNT and UNTIL';
  return undefined;
}

/** Properties holding a date or date-time (DATE-TIME unless VALUE says otherwise). */
const DATE_PROPS = new Set(['DTSTART', 'DTEND', 'DUE', 'RECURRENCE-ID', 'EXDATE', 'RDATE', 'DTSTAMP', 'CREATED', 'LAST-MODIFIED', 'COMPLETED', 'ACKNOWLEDGED']);

/** Integer properties (RFC 5545): ical.js reads "x" as 0, which silently changes the revision order. */
const INTEGER_PROPS = new Set(['SEQUENCE', 'PRIORITY', 'PERCENT-COMPLETE', 'REPEAT']);

function eachValue(v: string, check: (x: string) => string | undefined): string | undefined {
  for (const x of v.split(',')) {
    const why = check(x);
    if (why) return `${JSON.stringify(x)} ${why}`;
  }
  return undefined;
}

/**
 * Why a property's value is not one calendar programs can read, or undefined. Only the value types
 * those programs compute with are checked; text and unknown values pass as they are.
 */
export function checkPropertyValue(line: ContentLine): string | undefined {
  const type = paramOf(line, 'VALUE')?.toUpperCase();
  const { name, value } = line;
  let why: string | undefined;
  if (DATE_PROPS.has(name)) {
    // DTSTAMP and the like should be UTC, but senders write local times there and every program reads them.
    const utc = 'allowed';
    if (type === 'DATE') why = eachValue(value, (x) => (checkDate(x) ? `is not a date: ${checkDate(x)}` : undefined));
    else if (type === 'PERIOD' && name === 'RDATE') why = eachValue(value, (x) => (checkPeriod(x) ? `is not a period: ${checkPeriod(x)}` : undefined));
    else if (type === undefined || type === 'DATE-TIME') why = eachValue(value, (x) => (checkDateTime(x, utc) ? `is not a date-time: ${checkDateTime(x, utc)}` : undefined));
    else why = `has VALUE=${type}, which is not a date type`;
  } else if (name === 'RRULE' || name === 'EXRULE') {
    why = checkRecur(value);
  } else if (name === 'DURATION') {
    why = checkDuration(value);
  } else if (name === 'TRIGGER') {
    why = type === 'DATE-TIME' ? checkDateTime(value, 'required') : checkDuration(value);
  } else if (name === 'TZOFFSETFROM' || name === 'TZOFFSETTO') {
    why = checkOffset(value);
  } else if (INTEGER_PROPS.has(name)) {
    // INTEGER is 32-bit signed (RFC 5545 3.3.8); Outlook's SEQUENCE can be a Unix time.
    why = /^[+-]?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2_147_483_647 ? undefined : 'not an integer';
  } else if (name === 'GEO') {
    why = /^[+-]?\d+(?:\.\d+)?;[+-]?\d+(?:\.\d+)?$/.test(value) ? undefined : 'not a latitude;longitude pair';
  } else if (name === 'FREEBUSY') {
    why = eachValue(value, (x) => (checkPeriod(x) ? `is not a period: ${checkPeriod(x)}` : undefined));
  }
  return why && `${name} ${why.startsWith('"') ? why : `${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}: ${why}`}`;
}

/**
 * A known-harmless sender quirk in a value, fixed: the new line ('' to drop it) and what was done.
 * Anything else is left to the checks above.
 */
export function repairLine(raw: string, line: ContentLine): { text: string; note: string } | undefined {
  const { name, value } = line;
  const type = paramOf(line, 'VALUE')?.toUpperCase();
  const head = raw.slice(0, raw.length - value.length);
  if ((name === 'EXDATE' || name === 'RDATE') && !value.trim()) return { text: '', note: `an empty ${name} (it names no date) was dropped` };
  // Google writes all-day RDATEs as "RDATE:20131210Z": a date with a stray Z, read as a date-time.
  if (DATE_PROPS.has(name) && (type === undefined || type === 'DATE-TIME') && /^\d{8}Z?(,\d{8}Z?)*$/.test(value)) {
    return { text: `${head.slice(0, -1)};VALUE=DATE:${value.replace(/Z/g, '')}`, note: `${name}:${value} is a date written as a date-time; written as ${name};VALUE=DATE:${value.replace(/Z/g, '')}` };
  }
  if (type === 'DATE' && DATE_PROPS.has(name) && /^\d{8}Z(,\d{8}Z?)*$/.test(value)) {
    return { text: `${head}${value.replace(/Z/g, '')}`, note: `${name} date ${value} has a stray Z; removed` };
  }
  // "-0000" means UTC with an unknown local offset in RFC 3339; RFC 5545 forbids it in zones, "+0000" is meant.
  if ((name === 'TZOFFSETFROM' || name === 'TZOFFSETTO') && /^-0000(00)?$/.test(value)) return { text: `${head}+${value.slice(1)}`, note: `${name}:${value} written as +${value.slice(1)}` };
  return undefined;
}

/**
 * VALUE must name a value type (a token): ical.js writes it back unescaped, so anything else would
 * come out as other lines. A TZID holding a line break (RFC 6868 "^n") names no zone anyone has.
 */
export function checkValueParam(line: ContentLine): string | undefined {
  const p = line.params.find((x) => x.name === 'VALUE');
  if (p && !(p.values.length === 1 && /^[A-Za-z0-9-]+$/.test(p.values[0]))) return `${line.name} has a VALUE parameter that is not a value type (${JSON.stringify(p.values.join(',').slice(0, 60))})`;
  const tz = line.params.find((x) => x.name === 'TZID');
  if (tz && tz.values.some((v) => /\^n/i.test(v))) return `${line.name} has a TZID parameter with a line break in it (${JSON.stringify(tz.values.join(',').slice(0, 60))})`;
  return undefined;
}
