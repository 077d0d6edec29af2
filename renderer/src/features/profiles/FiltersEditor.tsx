// The profile's filters, written as on the command line; main validates them and any problem comes
// back with its path (e.g. "profiles.team.filters.match.0: invalid regular expression"). Patterns
// are RE2 (linear time), which the help text below the lists says.
import { useState } from 'react';
import type { ProfileFilters } from '../../../../electron/shared/config-schema.ts';
import { TextField } from '../../components/TextField.tsx';

type TextKey = 'from' | 'to' | 'subject' | 'since' | 'before' | 'window';
type ListKey = 'allowSenders' | 'match' | 'exclude';

/** allowSenders may be separated by commas or lines; patterns only by lines (they may hold commas). */
const parse = (key: ListKey, text: string) => text.split(key === 'allowSenders' ? /[\n,]/ : /\n/).map((s) => s.trim()).filter(Boolean);

export function FiltersEditor({ value, onChange }: { value: ProfileFilters; onChange: (f: ProfileFilters) => void }) {
  // The lists are edited as raw text, so an empty line being typed is not removed under the cursor.
  const [raw, setRaw] = useState<Record<ListKey, string>>(() => ({
    allowSenders: (value.allowSenders ?? []).join('\n'),
    match: (value.match ?? []).join('\n'),
    exclude: (value.exclude ?? []).join('\n'),
  }));
  const set = (patch: Partial<ProfileFilters>) => {
    const next: Record<string, unknown> = { ...value, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === '' || v === undefined || (Array.isArray(v) && !v.length)) delete next[k];
    onChange(next as ProfileFilters);
  };
  const text = (key: TextKey, label: string, placeholder: string, hint?: string) => (
    <TextField label={label} value={value[key] ?? ''} placeholder={placeholder} hint={hint} onChange={(e) => set({ [key]: e.target.value })} />
  );
  const list = (key: ListKey, label: string, placeholder: string, className = '') => (
    <div className={`field ${className}`}>
      <label>
        {label}
        <textarea
          rows={3}
          value={raw[key]}
          placeholder={placeholder}
          onChange={(e) => {
            setRaw({ ...raw, [key]: e.target.value });
            set({ [key]: parse(key, e.target.value) });
          }}
        />
      </label>
    </div>
  );

  return (
    <fieldset>
      <legend>Filters (all optional: leave empty to take every invitation)</legend>
      <div className="grid">
        {text('from', 'From contains', 'boss@example.com')}
        {text('to', 'To contains', 'team@example.com')}
        {text('subject', 'Subject contains', 'Invitation')}
        {text('since', 'Received since', 'YYYY-MM-DD', 'Messages received on or after this date.')}
        {text('before', 'Received before', 'YYYY-MM-DD', 'Messages received before this date.')}
        {text('window', 'Event window', '-30d..+365d', 'Relative ("-30d..+365d") or dates ("2026-01-01..2026-12-31").')}
        {list('allowSenders', 'Allowed senders (only their invitations are taken; addresses or domains, commas or one per line)', 'boss@example.com, example.org', 'wide')}
        {list('match', 'Keep only events matching (one rule per line, e.g. summary=glob:*standup*)', 'summary=glob:*standup*')}
        {list('exclude', 'Drop events matching (one rule per line, e.g. location=^Online)', 'summary=^Canceled:')}
      </div>
      <p className="muted">
        A rule is FIELD=PATTERN. FIELD is summary, location, organizer, attendee, description or categories. PATTERN is a case-insensitive regular expression in RE2 syntax
        (like JavaScript's, without backreferences such as \1 or lookaround such as (?=…)), or glob:PATTERN where * is any text and ? one character.
      </p>
    </fieldset>
  );
}
