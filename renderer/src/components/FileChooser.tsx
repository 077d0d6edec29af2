// A file picked through the system's dialog (shown by main): the chosen path, read-only, and a
// button to choose. The window never types a path main would open or write.
import { useId } from 'react';
import { describedBy, FieldNotes } from './FieldNotes.tsx';

export function FileChooser({ label, path, placeholder, hint, chooseLabel, onChoose, onClear, className, error }: {
  label: string; path: string; placeholder?: string; hint?: string; chooseLabel: string; onChoose: () => void; onClear?: () => void; className?: string; error?: string;
}) {
  const id = useId();
  const described = describedBy(id, hint, error);
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="chooser">
        <input id={id} readOnly value={path} placeholder={placeholder} aria-describedby={described} aria-invalid={error ? true : undefined} />
        <button type="button" onClick={onChoose}>
          {chooseLabel}
        </button>
        {onClear && path && (
          <button type="button" className="link" onClick={onClear}>
            Clear
          </button>
        )}
      </div>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}
