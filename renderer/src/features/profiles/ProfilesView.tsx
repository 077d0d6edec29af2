// Sync profiles: which account and folders, filters and output; "Scan now" starts a scan whose
// result the Preview shows. Removing asks first (the calendar file itself stays).
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api.ts';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import type { Session } from '../../session.ts';
import type { AccountView, ProfileView } from '../../types.ts';
import { ProfileForm } from './ProfileForm.tsx';

export function ProfilesView({ session, scanning, onScan }: {
  session: Session; scanning: boolean; onScan: (profile: string, account: string, hasPassword: boolean) => void;
}) {
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [editing, setEditing] = useState<ProfileView | 'new' | null>(null);
  const [dialog, confirm] = useConfirm();
  const { report } = session;
  const reload = useCallback(async () => {
    try {
      const [p, a] = await Promise.all([call(api().listProfiles({})), call(api().listAccounts({}))]);
      setProfiles(p);
      setAccounts(a);
    } catch (err) {
      report(err);
    }
  }, [report]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const remove = async (name: string) => {
    if (!(await confirm(`Remove profile ${name}?`, `The profile "${name}" is removed. Its calendar file is not deleted.`, 'Remove profile'))) return;
    try {
      await call(api().removeProfile({ name }));
      if (editing !== 'new' && editing?.name === name) setEditing(null);
      await reload();
    } catch (err) {
      report(err);
    }
  };

  return (
    <section aria-labelledby="profiles-title">
      <header className="section-head">
        <h2 id="profiles-title">Profiles and folders</h2>
        <button type="button" onClick={() => setEditing('new')} disabled={!accounts.length}>
          Add profile
        </button>
      </header>
      {!accounts.length && <p className="muted">Add an account first; a profile picks folders from it.</p>}
      {accounts.length > 0 && !profiles.length && <p className="muted">No profiles yet. A profile turns some folders of one account into one calendar file.</p>}
      <ul className="cards" aria-label="Profiles">
        {profiles.map(({ name, profile }) => {
          const acc = accounts.find((a) => a.name === profile.account);
          return (
            <li key={name} className="card">
              <div>
                <strong>{name}</strong>
                <div className="muted wrap">
                  {profile.account}: {profile.folders.join(', ')} → {profile.output}
                </div>
              </div>
              <div className="actions">
                <button type="button" className="primary" disabled={scanning} onClick={() => onScan(name, profile.account, acc?.hasPassword ?? false)} aria-label={`Scan ${name} now`}>
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
      {dialog}
    </section>
  );
}
