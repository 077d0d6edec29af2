// A labelled text input with its hint and validation message tied to it (aria-describedby), so the
// label stays the accessible name and the problem is announced with the field.
import { useId, type InputHTMLAttributes } from 'react';

export function TextField({ label, error, hint, className, ...input }: {
  label: string; error?: string; hint?: string; className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'className'>) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
