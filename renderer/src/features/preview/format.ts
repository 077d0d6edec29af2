// Formats preview times in the user's time zone (Intl picks it up from the system); all-day
// events are calendar dates stored at 00:00 UTC, so they are formatted in UTC and show the date only.
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export function formatWhen(e: Pick<PreviewEvent, 'start' | 'allDay'>): string {
  if (!e.start) return '—';
  const d = new Date(e.start);
  return e.allDay ? dateOnly.format(d) : dateTime.format(d);
}

/** "start – end"; for all-day events the end date is exclusive, so the last day shown is the one before. */
export function formatSpan(e: Pick<PreviewEvent, 'start' | 'end' | 'allDay'>): string {
  if (!e.start) return 'No date';
  if (!e.end) return formatWhen(e);
  if (e.allDay) {
    const last = new Date(new Date(e.end).getTime() - 86_400_000);
    return last.getTime() > new Date(e.start).getTime() ? `${formatWhen(e)} – ${dateOnly.format(last)}` : formatWhen(e);
  }
  const start = new Date(e.start);
  const end = new Date(e.end);
  const sameDay = start.toDateString() === end.toDateString();
  return `${formatWhen(e)} – ${(sameDay ? timeOnly : dateTime).format(end)}`;
}

export function formatTime(iso: string, allDay: boolean): string {
  return allDay ? 'all day' : timeOnly.format(new Date(iso));
}

export function formatStamp(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export const CHANGE_LABEL: Record<PreviewEvent['change'], string> = { new: 'New', updated: 'Updated', cancelled: 'Cancelled', unchanged: 'Unchanged' };

/** Undated items last whatever the direction; ties broken by key so the order is stable. */
export function compareStart(a: PreviewEvent, b: PreviewEvent, asc: boolean): number {
  if (!a.start !== !b.start) return a.start ? -1 : 1;
  const s = (a.start ?? '') < (b.start ?? '') ? -1 : (a.start ?? '') > (b.start ?? '') ? 1 : 0;
  return (asc ? s : -s) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
