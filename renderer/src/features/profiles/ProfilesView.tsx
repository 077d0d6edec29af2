// Sync profiles: which account and folders, filters and output; "Scan now" starts a scan whose
// result the Preview shows.
import { useCallback, useEffect, useState } from 'react';
import type { Response } from '../../../../electron/shared/ipc-contract.ts';
import { api, call } from '../../api.ts';
import type { Session } from '../../App.tsx';
import { ProfileForm } from './ProfileForm.tsx';

type ProfileView = Response<'profiles:list'>[number];
type AccountView = Response<'accounts:list'>[number];

export function ProfilesView({ session, scanning, onScan }: { session: Session; scanning: boolean; onScan: (profile: string, account: string, hasPassword: boolean) => void }) {
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [editing, setEditing] = useState<ProfileView | 'new' | null>(null);
  const reload = useCallback(async () => {
    try {
      const [p, a] = await Promise.all([call(api().listProfiles({})), call(api().listAccounts({}))]);
      setProfiles(p);
      setAccounts(a);
    } catch (err) {
      session.report(err);
    }
  }, [session.report]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const remove = async (name: string) => {
    if (!window.confirm(`Remove the profile "${name}"? Its calendar file is not deleted.`)) return;
    await call(api().removeProfile({ name })).then(reload, session.report);
    setEditing(null);
  };

  return (
    <section aria-labelledby="profiles-title">
      <header className="section-head">
        <h2 id="profiles-title">Profiles and folders</h2>
        <button type="button" onClick={() => setEditing('new')} disabled={!accounts.length} title={accounts.length ? undefined : 'Add an account first'}>
          Add profile
        </button>
      </header>
      {!accounts.length && <p className="muted">Add an account first; a profile picks folders from it.</p>}
      <ul className="cards" aria-label="Profiles">
        {profiles.map(({ name, profile }) => {
          const acc = accounts.find((a) => a.name === profile.account);
          return (
            <li key={name} className="card">
              <div>
                <strong>{name}</strong>
                <div className="muted">
                  {profile.account}: {profile.folders.join(', ')} → {profile.output}
                </div>
              </div>
              <div className="actions">
                <button type="button" disabled={scanning} onClick={() => onScan(name, profile.account, acc?.hasPassword ?? false)} aria-label={`Scan ${name} now`}>
                  Scan now
                </button>
                <button type="button" onClick={() => setEditing({ name, profile })} aria-label={`Edit ${name}`}>
                  Edit
                </button>
                <button type="button" onClick={() => void remove(name)} aria-label={`Remove ${name}`}>
                  Remove
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {editing && (
        <ProfileForm
          key={editing === 'new' ? 'new' : editing.name}
          session={session}
          accounts={accounts}
          initial={editing === 'new' ? undefined : editing}
          onSaved={() => void reload()}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}
