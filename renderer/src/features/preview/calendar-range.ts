// The days a month or week view shows (weeks start on Monday; a month shows six full weeks) and the
// UTC range to ask main for, all in the user's local time. Pure date arithmetic.
export type Mode = 'month' | 'week';

function startOfWeek(d: Date): Date {
  const x = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  x.setDate(x.getDate() - ((x.getDay() + 6) % 7));
  return x;
}

export function rangeFor(mode: Mode, anchor: Date): { days: Date[]; from: Date; to: Date } {
  const first = mode === 'month' ? startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth(), 1)) : startOfWeek(anchor);
  const count = mode === 'month' ? 42 : 7;
  const days = Array.from({ length: count }, (_, i) => new Date(first.getFullYear(), first.getMonth(), first.getDate() + i));
  return { days, from: days[0], to: new Date(first.getFullYear(), first.getMonth(), first.getDate() + count) };
}

export function shiftAnchor(mode: Mode, anchor: Date, n: number): Date {
  return mode === 'month' ? new Date(anchor.getFullYear(), anchor.getMonth() + n, 1) : new Date(anchor.getFullYear(), anchor.getMonth(), anchor.getDate() + 7 * n);
}

export const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;

/** The local day an occurrence falls on: all-day dates are calendar dates (00:00 UTC). */
export function occurrenceDay(start: string, allDay: boolean): string {
  if (allDay) return `${Number(start.slice(0, 4))}-${Number(start.slice(5, 7))}-${Number(start.slice(8, 10))}`;
  return dayKey(new Date(start));
}
