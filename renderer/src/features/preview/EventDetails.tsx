// One event's details: every field, the message it came from and what changed since the last sync.
// All of it is mail content, so it is rendered as text and long text wraps.
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';
import { CHANGE_LABEL, formatSpan, formatStamp } from './format.ts';

const KIND: Record<PreviewEvent['kind'], string> = { VEVENT: 'Event', VTODO: 'Task', VJOURNAL: 'Journal entry' };

export function EventDetails({ event: e }: { event: PreviewEvent }) {
  const rows: Array<[string, string]> = [
    ['When', `${formatSpan(e)}${e.allDay ? ' (all day)' : ''}`],
    ['Repeats', e.recurring ? 'Yes (a recurring series)' : ''],
    ['Location', e.location],
    ['Organizer', e.organizer],
    ['Type', KIND[e.kind]],
    ['Status', e.cancelled ? 'Cancelled' : 'Confirmed'],
    ['Since last sync', CHANGE_LABEL[e.change]],
    ['UID', e.uid],
    ['Occurrence', e.recurrenceId ?? ''],
  ];
  const source: Array<[string, string]> = [
    ['Folder', e.source.folder],
    ['Message UID', String(e.source.uid)],
    ['Date', formatStamp(e.source.date)],
    ['From', e.source.from ?? ''],
    ['Subject', e.source.subject ?? ''],
  ];
  const list = (items: Array<[string, string]>) => (
    <dl>
      {items.filter(([, v]) => v).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
  return (
    <aside className="details" aria-label="Event details">
      <h3>{e.summary || '(no title)'}</h3>
      {list(rows)}
      {e.description && (
        <>
          <h4>Description</h4>
          <p className="description">{e.description}</p>
        </>
      )}
      <h4>Source message</h4>
      {list(source)}
    </aside>
  );
}
