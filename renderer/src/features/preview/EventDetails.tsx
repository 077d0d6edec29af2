// One event's details, including the message it came from and what changed since the last sync.
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';
import { CHANGE_LABEL, formatWhen } from './format.ts';

export function EventDetails({ event: e }: { event: PreviewEvent }) {
  const rows: Array<[string, string]> = [
    ['When', `${formatWhen(e)}${e.end && !e.allDay ? ` – ${formatWhen({ start: e.end, allDay: false })}` : ''}${e.recurring ? ' (recurring)' : ''}`],
    ['Location', e.location],
    ['Organizer', e.organizer],
    ['Status', e.cancelled ? 'Cancelled' : 'Confirmed'],
    ['Since last sync', CHANGE_LABEL[e.change] || 'Unchanged'],
    ['UID', e.uid + (e.recurrenceId ? ` (occurrence ${e.recurrenceId})` : '')],
    ['Source folder', e.source.folder],
    ['Message date', e.source.date ? new Date(e.source.date).toLocaleString() : ''],
    ['From', e.source.from ?? ''],
    ['Subject', e.source.subject ?? ''],
  ];
  return (
    <aside className="details" aria-label="Event details">
      <h3>{e.summary || '(no title)'}</h3>
      <dl>
        {rows.filter(([, v]) => v).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {e.description && <p className="description">{e.description}</p>}
    </aside>
  );
}
