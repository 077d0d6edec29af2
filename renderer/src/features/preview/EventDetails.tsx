// One event's details, for the occurrence that was clicked: when (that day), how it repeats in
// words, place, people and their replies, alarms, categories, the description as plain text, the
// source message, and the technical ids in a secondary section. All of it is mail content: text only.
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';
import { alarmText } from '../calendar/alarm-text.ts';
import { recurrenceText } from '../calendar/recurrence-text.ts';
import { ChangeBadge } from './ChangeBadge.tsx';
import { formatSpan, formatStamp } from './format.ts';

const KIND: Record<PreviewEvent['kind'], string> = { VEVENT: 'Event', VTODO: 'Task', VJOURNAL: 'Journal entry' };
const REPLY: Record<string, string> = { ACCEPTED: 'accepted', DECLINED: 'declined', TENTATIVE: 'maybe', 'NEEDS-ACTION': 'no reply yet', DELEGATED: 'delegated' };
const ROLE: Record<string, string> = { CHAIR: 'chair', 'OPT-PARTICIPANT': 'optional', 'NON-PARTICIPANT': 'for information' };

/** The clicked occurrence's own times: the series' duration moved to that start. */
export function occurrenceOf(e: PreviewEvent, occurrenceStart?: string): PreviewEvent {
  if (!occurrenceStart || !e.start || occurrenceStart === e.start) return e;
  const length = e.end ? Date.parse(e.end) - Date.parse(e.start) : 0;
  return { ...e, start: occurrenceStart, ...(e.end ? { end: new Date(Date.parse(occurrenceStart) + length).toISOString() } : {}) };
}

export function EventDetails({ event: e, occurrenceStart, showChange = true, colour, onClose }: {
  event: PreviewEvent; occurrenceStart?: string; showChange?: boolean; colour?: number; onClose?: () => void;
}) {
  const shown = occurrenceOf(e, occurrenceStart);
  const rows: Array<[string, string]> = [
    ['When', `${formatSpan(shown)}${e.allDay ? ' (all day)' : ''}`],
    ['Time zone', e.timeZone && !e.allDay ? `${e.timeZone} (times shown in yours)` : ''],
    ['Repeats', e.rrule ? recurrenceText(e.rrule, e.start, e.allDay) : e.recurring ? 'On extra dates (a recurring series)' : ''],
    ['Series starts', e.recurring && shown !== e ? formatSpan(e) : ''],
    ['Location', e.location],
    ['Organizer', e.organizer],
    ['Status', e.cancelled ? 'Cancelled' : ''],
    ['Type', e.kind === 'VEVENT' ? '' : KIND[e.kind]],
    ['Categories', (e.categories ?? []).join(', ')],
  ];
  const source: Array<[string, string]> = [
    ['Folder', e.source.folder],
    ['Received', formatStamp(e.source.date)],
    ['From', e.source.from ?? ''],
    ['Subject', e.source.subject ?? ''],
  ];
  const technical: Array<[string, string]> = [
    ['Event UID', e.uid],
    ['Occurrence (RECURRENCE-ID)', e.recurrenceId ?? ''],
    ['Rule (RRULE)', e.rrule ?? ''],
    ['Message UID in folder', String(e.source.uid)],
  ];
  const list = (items: Array<[string, string]>, copyable = false) => (
    <dl>
      {items.filter(([, v]) => v).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{copyable ? <code className="copyable">{v}</code> : v}</dd>
        </div>
      ))}
    </dl>
  );
  const attendees = e.attendees ?? [];
  return (
    <aside className={`details${colour !== undefined ? ` folder-${colour}` : ''}`} aria-label="Event details" onKeyDown={(k) => k.key === 'Escape' && onClose?.()}>
      <div className="details-head">
        <h3>
          {showChange && <ChangeBadge change={e.change} />}
          {e.summary || '(no title)'}
        </h3>
        {onClose && (
          <button type="button" className="close" onClick={onClose}>
            Close
          </button>
        )}
      </div>
      {list(rows)}
      {attendees.length > 0 && (
        <>
          <h4>Attendees ({attendees.length})</h4>
          <ul className="attendees">
            {attendees.map((a, i) => (
              <li key={`${a.email}-${i}`}>
                <span className="who">{a.name || a.email}</span>
                {a.name && a.email ? <span className="muted"> {a.email}</span> : null}
                <span className={`reply ${a.reply.toLowerCase()}`}> · {REPLY[a.reply] ?? a.reply.toLowerCase()}</span>
                {a.role && ROLE[a.role] ? <span className="muted"> · {ROLE[a.role]}</span> : null}
              </li>
            ))}
          </ul>
        </>
      )}
      {(e.alarms ?? []).length > 0 && (
        <>
          <h4>Reminders</h4>
          <ul className="plain">
            {e.alarms!.map((a, i) => (
              <li key={i}>{alarmText(a)}</li>
            ))}
          </ul>
        </>
      )}
      {e.description && (
        <>
          <h4>Description</h4>
          <p className="description">{e.description}</p>
        </>
      )}
      <h4>Source message</h4>
      {list(source)}
      <details className="technical">
        <summary>Technical details</summary>
        {list(technical, true)}
      </details>
    </aside>
  );
}
