// A recurrence rule (RRULE text) in words for people: "Every week on Monday, until 3 Mar 2026".
// Pure; rule parts it does not put in words are named as "a custom rule", never guessed at.

const FREQ_UNIT: Record<string, [string, string]> = {
  SECONDLY: ['second', 'seconds'], MINUTELY: ['minute', 'minutes'], HOURLY: ['hour', 'hours'],
  DAILY: ['day', 'days'], WEEKLY: ['week', 'weeks'], MONTHLY: ['month', 'months'], YEARLY: ['year', 'years'],
};
const DAY_INDEX: Record<string, number> = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 };
const ORDINAL: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '5': 'fifth', '-1': 'last', '-2': 'second to last' };
/** Parts put in words here; any other makes the text say "a custom rule". */
const KNOWN = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'COUNT', 'UNTIL', 'WKST']);

function weekdayName(i: number, locale?: string): string {
  return new Date(Date.UTC(2024, 0, 1 + i)).toLocaleDateString(locale, { weekday: 'long', timeZone: 'UTC' });
}

function monthName(m: number, locale?: string): string {
  return new Date(Date.UTC(2024, m - 1, 1)).toLocaleDateString(locale, { month: 'long', timeZone: 'UTC' });
}

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** UNTIL as a date: a DATE is a calendar date (shown as is), a UTC DATE-TIME is shown in the user's zone. */
function untilText(v: string, locale?: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(v);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, z] = m;
  if (h === undefined) return new Date(Date.UTC(+y, +mo - 1, +d)).toLocaleDateString(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const at = z ? new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s)) : new Date(+y, +mo - 1, +d, +h, +mi, +s);
  return at.toLocaleDateString(locale, { dateStyle: 'medium' });
}

function dayText(token: string, locale?: string): string | undefined {
  const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(token);
  if (!m) return undefined;
  const name = weekdayName(DAY_INDEX[m[2]], locale);
  if (!m[1]) return name;
  const ord = ORDINAL[String(Number(m[1]))];
  return ord ? `the ${ord} ${name}` : undefined;
}

/**
 * rrule: "FREQ=WEEKLY;BYDAY=MO;UNTIL=20260302T090000Z". start (ISO, optional): the series start, for
 * the day a rule without BY parts repeats on. allDay: the start is a calendar date (00:00 UTC).
 */
export function recurrenceText(rrule: string, start?: string, allDay = false, locale?: string): string {
  const parts = new Map(rrule.split(';').map((p) => p.split('=') as [string, string]).filter(([k, v]) => k && v !== undefined).map(([k, v]) => [k.toUpperCase(), v]));
  const freq = (parts.get('FREQ') ?? '').toUpperCase();
  const unit = FREQ_UNIT[freq];
  if (!unit) return 'Repeats by a custom rule';
  const n = Math.max(1, Number(parts.get('INTERVAL') ?? '1') || 1);
  let text = n === 1 ? `Every ${unit[0]}` : `Every ${n} ${unit[1]}`;
  let custom = [...parts.keys()].some((k) => !KNOWN.has(k));
  const s = start ? new Date(start) : undefined;
  // The start's own weekday/day/month, as a calendar client shows it (all-day dates are UTC dates).
  const startWeekday = s ? (allDay ? (s.getUTCDay() + 6) % 7 : (s.getDay() + 6) % 7) : undefined;
  const startDay = s ? (allDay ? s.getUTCDate() : s.getDate()) : undefined;
  const startMonth = s ? (allDay ? s.getUTCMonth() : s.getMonth()) + 1 : undefined;
  const byDay = parts.get('BYDAY')?.split(',').map((t) => t.trim().toUpperCase()).filter(Boolean) ?? [];
  const days = byDay.map((t) => dayText(t, locale));
  if (days.some((d) => d === undefined)) custom = true;
  const named = days.filter((d): d is string => !!d);
  const monthDays = parts.get('BYMONTHDAY')?.split(',').map(Number).filter((x) => Number.isInteger(x) && x !== 0) ?? [];
  const months = parts.get('BYMONTH')?.split(',').map(Number).filter((x) => x >= 1 && x <= 12) ?? [];
  const dayOfMonth = (d: number) => (d < 0 ? (d === -1 ? 'the last day' : `day ${d} from the end`) : `day ${d}`);

  if (freq === 'WEEKLY') {
    if (named.length === 7) text += ' on every day';
    else if (named.length) text += ` on ${list(named)}`;
    else if (startWeekday !== undefined) text += ` on ${weekdayName(startWeekday, locale)}`;
  } else if (freq === 'DAILY' && named.length && named.length < 7) {
    text += ` on ${list(named)}`;
  } else if (freq === 'MONTHLY') {
    if (named.length) text += ` on ${list(named)}`;
    else if (monthDays.length) text += ` on ${list(monthDays.map(dayOfMonth))}`;
    else if (startDay !== undefined) text += ` on day ${startDay}`;
  } else if (freq === 'YEARLY') {
    const ms = months.length ? months : startMonth !== undefined ? [startMonth] : [];
    if (named.length) text += ` on ${list(named)}${ms.length ? ` in ${list(ms.map((m) => monthName(m, locale)))}` : ''}`;
    else {
      const ds = monthDays.length ? monthDays : startDay !== undefined ? [startDay] : [];
      if (ds.length === 1 && ms.length === 1) text += ` on ${ds[0] > 0 ? ds[0] : dayOfMonth(ds[0])} ${monthName(ms[0], locale)}`;
      else if (ms.length) text += ` in ${list(ms.map((m) => monthName(m, locale)))}`;
    }
  } else if (named.length || monthDays.length || months.length) {
    custom = true;
  }

  const count = Number(parts.get('COUNT'));
  const until = parts.get('UNTIL');
  if (Number.isInteger(count) && count > 0) text += count === 1 ? ', once' : `, ${count} times`;
  else if (until) {
    const u = untilText(until, locale);
    if (u) text += `, until ${u}`;
    else custom = true;
  }
  return custom ? `${text} (and further conditions of a custom rule)` : text;
}
