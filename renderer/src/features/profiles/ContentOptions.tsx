// What goes into the calendar: cancelled events removed or kept (marked), and whether tasks
// (VTODO) and journal entries (VJOURNAL) are included next to events.
import { useId } from 'react';

export type Kind = 'VEVENT' | 'VTODO' | 'VJOURNAL';

export function ContentOptions({ cancelled, onCancelled, include, onInclude }: {
  cancelled: 'remove' | 'keep'; onCancelled: (v: 'remove' | 'keep') => void; include: Kind[]; onInclude: (v: Kind[]) => void;
}) {
  const group = useId();
  const toggle = (t: Kind, on: boolean) => onInclude(on ? [...include.filter((x) => x !== t), t] : include.filter((x) => x !== t));
  return (
    <fieldset>
      <legend>Calendar content</legend>
      <div role="radiogroup" aria-label="Cancelled events">
        <label className="inline">
          <input type="radio" name={group} checked={cancelled === 'remove'} onChange={() => onCancelled('remove')} />
          Remove cancelled events from the calendar
        </label>
        <label className="inline">
          <input type="radio" name={group} checked={cancelled === 'keep'} onChange={() => onCancelled('keep')} />
          Keep cancelled events, marked as cancelled
        </label>
      </div>
      <label className="inline">
        <input type="checkbox" checked={include.includes('VTODO')} onChange={(e) => toggle('VTODO', e.target.checked)} />
        Include tasks (VTODO)
      </label>
      <label className="inline">
        <input type="checkbox" checked={include.includes('VJOURNAL')} onChange={(e) => toggle('VJOURNAL', e.target.checked)} />
        Include journal entries (VJOURNAL)
      </label>
    </fieldset>
  );
}
