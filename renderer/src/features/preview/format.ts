// Formats preview times in the user's time zone; all-day events show their date only.
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export function formatWhen(e: Pick<PreviewEvent, 'start' | 'allDay'>): string {
  if (!e.start) return '—';
  const d = new Date(e.start);
  return e.allDay ? dateOnly.format(d) : dateTime.format(d);
}

export function formatTime(iso: string, allDay: boolean): string {
  return allDay ? 'all day' : timeOnly.format(new Date(iso));
}

export const CHANGE_LABEL: Record<PreviewEvent['change'], string> = { new: 'New', updated: 'Updated', cancelled: 'Cancelled', unchanged: '' };
