// Add or edit a profile: account, folders (picked from the server's tree), output file, filters,
// cancelled policy and component types. Saved through main, which validates it all.
import { useState } from 'react';
import type { Profile, ProfileFilters } from '../../../../electron/shared/config-schema.ts';
import { NAME_PATTERN } from '../../../../electron/shared/config-schema.ts';
import type { Response } from '../../../../electron/shared/ipc-contract.ts';
import { api, call } from '../../api.ts';
import type { Session } from '../../App.tsx';
import { FiltersEditor } from './FiltersEditor.tsx';
import { FolderPicker } from './FolderPicker.tsx';

type AccountView = Response<'accounts:list'>[number];
type Folder = Response<'folders:list'>[number];

export function ProfileForm({ session, accounts, initial, onSaved, onClose }: {
  session: Session; accounts: AccountView[]; initial?: { name: string; profile: Profile }; onSaved: () => void; onClose: () => void;
}) {
  const p = initial?.profile;
  const [name, setName] = useState(initial?.name ?? '');
  const [account, setAccount] = useState(p?.account ?? accounts[0]?.name ?? '');
  const [folders, setFolders] = useState<string[]>(p?.folders ?? []);
  const [output, setOutput] = useState(p?.output ?? '');
  const [filters, setFilters] = useState<ProfileFilters>(p?.filters ?? {});
  const [cancelled, setCancelled] = useState<'remove' | 'keep'>(p?.cancelled ?? 'remove');
  const [include, setInclude] = useState<Array<'VEVENT' | 'VTODO' | 'VJOURNAL'>>(p?.include ?? ['VEVENT']);
  const [tree, setTree] = useState<Folder[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [saved, setSaved] = useState(false);

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

  const save = async () => {
    setSaved(false);
    const profile: Profile = { ...(p ?? { schedule: { enabled: true, intervalMinutes: 10 } }), account, folders, output, filters, cancelled, include } as Profile;
    try {
      await call(api().saveProfile({ name, profile, ...(initial ? { previousName: initial.name } : {}) }));
      setSaved(true);
      onSaved();
    } catch (err) {
      session.report(err);
    }
  };
  const toggleType = (t: 'VTODO' | 'VJOURNAL', on: boolean) => setInclude(on ? [...include.filter((x) => x !== t), t] : include.filter((x) => x !== t));
  const valid = NAME_PATTERN.test(name) && !!account && folders.length > 0 && output.trim().length > 0;

  return (
    <form className="panel" aria-label={initial ? `Edit profile ${initial.name}` : 'New profile'} onSubmit={(e) => { e.preventDefault(); if (valid) void save(); }} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h3>{initial ? `Edit ${initial.name}` : 'New profile'}</h3>
      <div className="grid">
        <label>
          Profile name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="team" required />
        </label>
        <label>
          Account
          <select value={account} onChange={(e) => { setAccount(e.target.value); setTree(null); }}>
            {accounts.map((a) => <option key={a.name} value={a.name}>{a.name}</option>)}
          </select>
        </label>
        <label className="wide">
          Calendar file (.ics)
          <input value={output} onChange={(e) => setOutput(e.target.value)} placeholder="~/calendars/team.ics" required />
        </label>
      </div>
      <fieldset>
        <legend>Folders</legend>
        {tree ? <FolderPicker folders={tree} selected={folders} onChange={setFolders} /> : (
          <p>
            {folders.length ? `Selected: ${folders.join(', ')}. ` : 'No folders selected. '}
            <button type="button" onClick={() => void loadFolders()} disabled={loading || !account}>{loading ? 'Loading folders…' : 'Choose folders'}</button>
          </p>
        )}
      </fieldset>
      <FiltersEditor value={filters} onChange={setFilters} />
      <fieldset>
        <legend>Calendar content</legend>
        <label className="inline">
          <input type="checkbox" checked={cancelled === 'keep'} onChange={(e) => setCancelled(e.target.checked ? 'keep' : 'remove')} />
          Keep cancelled events (marked as cancelled) instead of removing them
        </label>
        <label className="inline">
          <input type="checkbox" checked={include.includes('VTODO')} onChange={(e) => toggleType('VTODO', e.target.checked)} />
          Include tasks (VTODO)
        </label>
        <label className="inline">
          <input type="checkbox" checked={include.includes('VJOURNAL')} onChange={(e) => toggleType('VJOURNAL', e.target.checked)} />
          Include journal entries (VJOURNAL)
        </label>
      </fieldset>
      {saved && <p className="ok" role="status">Profile saved.</p>}
      <div className="actions">
        <button type="submit" disabled={!valid}>Save profile</button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </form>
  );
}
