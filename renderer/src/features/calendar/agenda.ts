// Groups occurrences into days for the agenda: upcoming from today (today included, in order) and
// the past (kept for a collapsed "Earlier" section). Local days; all-day events by calendar date.
import type { Occurrence } from '../../../../electron/shared/ipc-contract.ts';
import { dayKey, occurrenceDay } from '../preview/calendar-range.ts';

export interface DayGroup {
  /** "2026-3-2": the local day (dayKey). */
  key: string;
  /** Local midnight of that day. */
  date: Date;
  items: Occurrence[];
}

function dateOf(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** All-day items first in a day, then by start; ties by key so the order is stable. */
function byStart(a: Occurrence, b: Occurrence): number {
  if (a.allDay !== b.allDay) return a.allDay ? -1 : 1;
  return a.start < b.start ? -1 : a.start > b.start ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function groupByDay(occurrences: Occurrence[], today: Date): { past: DayGroup[]; upcoming: DayGroup[] } {
  const groups = new Map<string, DayGroup>();
  for (const o of occurrences) {
    const key = occurrenceDay(o.start, o.allDay);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, date: dateOf(key), items: [] }));
    g.items.push(o);
  }
  const startOfToday = dateOf(dayKey(today)).getTime();
  const all = [...groups.values()].sort((a, b) => a.date.getTime() - b.date.getTime());
  for (const g of all) g.items.sort(byStart);
  return { past: all.filter((g) => g.date.getTime() < startOfToday), upcoming: all.filter((g) => g.date.getTime() >= startOfToday) };
}
