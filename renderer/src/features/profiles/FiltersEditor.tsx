// The profile's filters, written as on the command line; main validates them and any problem comes
// back with its path (e.g. "profiles.team.filters.match.0: invalid regular expression").
import type { ProfileFilters } from '../../../../electron/shared/config-schema.ts';

const lines = (v?: string[]) => (v ?? []).join('\n');
const list = (t: string) => t.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

export function FiltersEditor({ value, onChange }: { value: ProfileFilters; onChange: (f: ProfileFilters) => void }) {
  const set = (patch: Partial<ProfileFilters>) => {
    const next: Record<string, unknown> = { ...value, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === '' || v === undefined || (Array.isArray(v) && !v.length)) delete next[k];
    onChange(next as ProfileFilters);
  };
  const text = (key: 'from' | 'to' | 'subject' | 'since' | 'before' | 'window', label: string, placeholder: string) => (
    <label>
      {label}
      <input value={value[key] ?? ''} placeholder={placeholder} onChange={(e) => set({ [key]: e.target.value })} />
    </label>
  );
  return (
    <fieldset>
      <legend>Filters</legend>
      <div className="grid">
        {text('from', 'From contains', 'boss@example.com')}
        {text('to', 'To contains', '')}
        {text('subject', 'Subject contains', 'Invitation')}
        {text('since', 'Received since (YYYY-MM-DD)', '2026-01-01')}
        {text('before', 'Received before (YYYY-MM-DD)', '')}
        {text('window', 'Event window', '-30d..+365d')}
        <label className="wide">
          Allowed senders (addresses or domains, one per line)
          <textarea rows={2} value={lines(value.allowSenders)} onChange={(e) => set({ allowSenders: list(e.target.value) })} />
        </label>
        <label>
          Keep only events matching (FIELD=PATTERN, one per line)
          <textarea rows={2} value={lines(value.match)} placeholder="summary=glob:*standup*" onChange={(e) => set({ match: e.target.value.split('\n').filter((s) => s.trim()) })} />
        </label>
        <label>
          Drop events matching (FIELD=PATTERN, one per line)
          <textarea rows={2} value={lines(value.exclude)} placeholder="summary=^Canceled:" onChange={(e) => set({ exclude: e.target.value.split('\n').filter((s) => s.trim()) })} />
        </label>
      </div>
    </fieldset>
  );
}
