// Add or edit a profile: the essentials first (name, account, folders from the server's tree, the
// calendar file from the system's save dialog, the schedule), then filters and content in a closed
// "Advanced" section. Main validates it all; each problem is shown at its field, in words.
import { useState, type FormEvent } from 'react';
import { NAME_PATTERN, type Profile, type ProfileFilters } from '../../../../electron/shared/config-schema.ts';
import { api, asUiError, call } from '../../api.ts';
import { FileChooser } from '../../components/FileChooser.tsx';
import { TextField } from '../../components/TextField.tsx';
import type { Session } from '../../session.ts';
import type { AccountView, Folder } from '../../types.ts';
import { fieldProblems, type FieldProblems } from './config-problems.ts';
import { ContentOptions, type Kind } from './ContentOptions.tsx';
import { FiltersEditor } from './FiltersEditor.tsx';
import { FolderPicker } from './FolderPicker.tsx';

export function ProfileForm({ session, accounts, initial, onSaved, onClose, onDone }: {
  session: Session; accounts: AccountView[]; initial?: { name: string; profile: Profile }; onSaved: () => void; onClose: () => void;
  /** After a successful save, with the saved name (the first run moves on). */
  onDone?: (name: string) => void;
}) {
  const p = initial?.profile;
  const [name, setName] = useState(initial?.name ?? '');
  const [savedName, setSavedName] = useState(initial?.name);
  const [account, setAccount] = useState(p?.account ?? accounts[0]?.name ?? '');
  const [folders, setFolders] = useState<string[]>(p?.folders ?? []);
  const [output, setOutput] = useState(p?.output ?? '');
  /** Main's token for the file picked in its save dialog; main refuses an output path the window typed. */
  const [outputChoice, setOutputChoice] = useState<string>();
  const [filters, setFilters] = useState<ProfileFilters>(p?.filters ?? {});
  const [cancelled, setCancelled] = useState<'remove' | 'keep'>(p?.cancelled ?? 'remove');
  const [include, setInclude] = useState<Kind[]>(p?.include ?? ['VEVENT']);
  const [tree, setTree] = useState<Folder[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [saved, setSaved] = useState(false);
  /** Main's answer to the last save; local checks are re-run as the user types once a save showed them. */
  const [problems, setProblems] = useState<FieldProblems | null>(null);
  const [checkLocal, setCheckLocal] = useState(false);
  const [scheduleOn, setScheduleOn] = useState(p?.schedule.enabled ?? true);
  const [interval, setIntervalText] = useState(String(p?.schedule.intervalMinutes ?? 10));
  const [advanced, setAdvanced] = useState(false);

  const loadFolders = async () => {
    const acc = accounts.find((a) => a.name === account);
    if (!acc) return;
    setLoading(true);
    try {
      const password = await session.passwordFor(acc.name, acc.hasPassword);
      setTree(await call(api().listFolders({ name: acc.name, ...(password ? { password } : {}) })));
    } catch (err) {
      session.report(err);
    } finally {
      setLoading(false);
    }
  };

  const chooseOutput = async () => {
    try {
      const c = await call(api().chooseOutput(savedName ? { profile: savedName } : NAME_PATTERN.test(name) ? { profile: name } : {}));
      if (!c.chosen) return;
      setOutput(c.path);
      setOutputChoice(c.token);
    } catch (err) {
      session.report(err);
    }
  };

  const localProblems = (): FieldProblems['fields'] => {
    const f: FieldProblems['fields'] = {};
    if (!NAME_PATTERN.test(name)) f.name = 'Use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit.';
    if (!account) f.account = 'Choose the account that holds the folders.';
    if (!folders.length) f.folders = 'Choose at least one folder.';
    if (!output.trim()) f.output = 'Choose where the calendar file is saved.';
    const n = Number(interval);
    if (scheduleOn && !(Number.isInteger(n) && n >= 1 && n <= 1440)) f.schedule = 'Type a whole number of minutes from 1 to 1440 (a day).';
    return f;
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const local = localProblems();
    setCheckLocal(true);
    if (Object.keys(local).length) return setProblems({ fields: {}, other: [] });
    setProblems(null);
    // Fields this form does not edit (maxPartBytes, notifyChanges) are kept; a new profile gets main's defaults.
    const schedule = { ...p?.schedule, enabled: scheduleOn, intervalMinutes: scheduleOn ? Number(interval) : p?.schedule.intervalMinutes ?? 10 };
    const profile = { ...p, account, folders, output, filters, cancelled, include, schedule };
    try {
      const r = await call(api().saveProfile({ name, profile, ...(savedName ? { previousName: savedName } : {}), ...(outputChoice ? { outputChoice } : {}) }));
      setSavedName(r.name);
      setSaved(true);
      onSaved();
      onDone?.(r.name);
    } catch (err) {
      const ui = asUiError(err);
      if (ui.error.code === 'CONFIG') {
        const found = fieldProblems(ui.error.message);
        if (found.fields.filters) setAdvanced(true);
        setProblems(found);
      } else session.report(ui);
    }
  };
  const fields = { ...problems?.fields, ...(checkLocal ? localProblems() : {}) };
  const at = (k: keyof FieldProblems['fields']) => fields[k];
  const errorText = (k: keyof FieldProblems['fields'], id: string) =>
    at(k) ? (
      <span id={id} className="field-error">
        {at(k)}
      </span>
    ) : null;

  return (
    <form className="panel profile-form" aria-label={initial ? `Edit profile ${initial.name}` : 'New profile'} onSubmit={save} noValidate>
      <div className="form-head">
        <h3>{initial ? `Edit ${initial.name}` : 'New profile'}</h3>
        <div className="actions">
          <button type="submit">Save profile</button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {saved && (
        <p className="ok" role="status">
          Profile saved.
        </p>
      )}
      {problems && (Object.keys(fields).length > 0 || problems.other.length > 0) && (
        <p className="banner error" role="alert">
          The profile was not saved: {Object.keys(fields).length ? 'see the fields marked below.' : ''} {problems.other.join(' ')}
        </p>
      )}
      <div className="grid">
        <TextField label="Profile name" value={name} onChange={(e) => setName(e.target.value)} placeholder="team" autoComplete="off" error={at('name')} hint="Names the calendar in the app and the feed." />
        <div className="field">
          <label htmlFor="profile-account">Account</label>
          <select
            id="profile-account"
            value={account}
            aria-invalid={at('account') ? true : undefined}
            aria-describedby={at('account') ? 'profile-account-error' : undefined}
            onChange={(e) => {
              setAccount(e.target.value);
              setTree(null);
              setFolders([]); // folder paths belong to one server
            }}
          >
            {accounts.map((a) => (
              <option key={a.name} value={a.name}>
                {a.name}
              </option>
            ))}
          </select>
          {errorText('account', 'profile-account-error')}
        </div>
      </div>
      <fieldset aria-describedby={at('folders') ? 'profile-folders-error' : undefined}>
        <legend>Folders</legend>
        {tree ? (
          <FolderPicker folders={tree} selected={folders} onChange={setFolders} />
        ) : (
          <p>
            {folders.length ? `Selected: ${folders.join(', ')}. ` : 'No folders selected. '}
            <button type="button" onClick={() => void loadFolders()} disabled={loading || !account}>
              {loading ? 'Loading folders…' : 'Choose folders'}
            </button>
          </p>
        )}
        {errorText('folders', 'profile-folders-error')}
      </fieldset>
      <div className="grid">
        <FileChooser
          className="wide"
          label="Calendar file (.ics)"
          path={output}
          placeholder="not chosen yet"
          chooseLabel="Choose calendar file…"
          onChoose={() => void chooseOutput()}
          hint="Picked in the system's save dialog. Every sync replaces this file; mailbox2ics replaces only a file that is already a calendar."
          error={at('output')}
        />
      </div>
      <fieldset>
        <legend>Schedule</legend>
        <div className="schedule-row">
          <label className="inline">
            <input type="checkbox" checked={scheduleOn} onChange={(e) => setScheduleOn(e.target.checked)} />
            Sync on a schedule while the app runs (also from the tray)
          </label>
          <TextField
            label="Every (minutes)"
            className="minutes"
            inputMode="numeric"
            value={interval}
            disabled={!scheduleOn}
            onChange={(e) => setIntervalText(e.target.value)}
            error={at('schedule')}
          />
        </div>
      </fieldset>
      <details className="advanced" open={advanced} onToggle={(e) => setAdvanced((e.target as HTMLDetailsElement).open)}>
        <summary>Advanced: filters and calendar content</summary>
        {at('filters') && <p className="field-error">{at('filters')}</p>}
        <FiltersEditor value={filters} onChange={setFilters} />
        <ContentOptions cancelled={cancelled} onCancelled={setCancelled} include={include} onInclude={setInclude} />
      </details>
    </form>
  );
}
