// Add or edit a profile: account, folders (picked from the server's tree), output file (picked in
// the system's save dialog), filters, cancelled policy and component types. Main validates it all;
// its "path: problem" lines are listed here.
import { useState, type FormEvent } from 'react';
import { NAME_PATTERN, type Profile, type ProfileFilters } from '../../../../electron/shared/config-schema.ts';
import { api, asUiError, call } from '../../api.ts';
import { FileChooser } from '../../components/FileChooser.tsx';
import { TextField } from '../../components/TextField.tsx';
import type { Session } from '../../session.ts';
import type { AccountView, Folder } from '../../types.ts';
import { splitConfigMessage, type ConfigProblems } from './config-problems.ts';
import { ContentOptions, type Kind } from './ContentOptions.tsx';
import { FiltersEditor } from './FiltersEditor.tsx';
import { FolderPicker } from './FolderPicker.tsx';

export function ProfileForm({ session, accounts, initial, onSaved, onClose }: {
  session: Session; accounts: AccountView[]; initial?: { name: string; profile: Profile }; onSaved: () => void; onClose: () => void;
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
  const [problems, setProblems] = useState<ConfigProblems | null>(null);

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

  const localProblems = () => {
    const lines: string[] = [];
    if (!NAME_PATTERN.test(name)) lines.push('name: use letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit');
    if (!account) lines.push('account: choose an account');
    if (!folders.length) lines.push('folders: choose at least one folder');
    if (!output.trim()) lines.push('output: choose the calendar file');
    return lines;
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const local = localProblems();
    if (local.length) return setProblems({ headline: 'The profile is not complete:', lines: local });
    setProblems(null);
    // Fields this form does not edit (schedule, maxPartBytes) are kept; a new profile gets main's defaults.
    const profile = { ...p, account, folders, output, filters, cancelled, include };
    try {
      const r = await call(api().saveProfile({ name, profile, ...(savedName ? { previousName: savedName } : {}), ...(outputChoice ? { outputChoice } : {}) }));
      setSavedName(r.name);
      setSaved(true);
      onSaved();
    } catch (err) {
      const ui = asUiError(err);
      if (ui.error.code === 'CONFIG') setProblems(splitConfigMessage(ui.error.message));
      else session.report(ui);
    }
  };

  return (
    <form className="panel" aria-label={initial ? `Edit profile ${initial.name}` : 'New profile'} onSubmit={save} noValidate>
      <h3>{initial ? `Edit ${initial.name}` : 'New profile'}</h3>
      <div className="grid">
        <TextField label="Profile name" value={name} onChange={(e) => setName(e.target.value)} placeholder="team" autoComplete="off" />
        <div className="field">
          <label htmlFor="profile-account">Account</label>
          <select
            id="profile-account"
            value={account}
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
        </div>
        <FileChooser
          className="wide"
          label="Calendar file (.ics)"
          path={output}
          placeholder="not chosen yet"
          chooseLabel="Choose calendar file…"
          onChoose={() => void chooseOutput()}
          hint="Picked in the system's save dialog. mailbox2ics replaces only a file that is already a calendar."
        />
      </div>
      <fieldset>
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
      </fieldset>
      <FiltersEditor value={filters} onChange={setFilters} />
      <ContentOptions cancelled={cancelled} onCancelled={setCancelled} include={include} onInclude={setInclude} />
      {problems && (
        <div className="banner error" role="alert">
          <strong>{problems.headline}</strong>
          {problems.lines.length > 0 && (
            <ul aria-label="Problems">
              {problems.lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {saved && (
        <p className="ok" role="status">
          Profile saved.
        </p>
      )}
      <div className="actions">
        <button type="submit">Save profile</button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
