// A labelled text input with its hint and validation message tied to it (aria-describedby), so the
// label stays the accessible name and the problem is announced with the field.
import { useId, type InputHTMLAttributes } from 'react';
import { describedBy, FieldNotes } from './FieldNotes.tsx';

export function TextField({ label, error, hint, className, ...input }: {
  label: string; error?: string; hint?: string; className?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'className'>) {
  const id = useId();
  const described = describedBy(id, hint, error);
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...input} />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}
