// Sync profiles: which account and folders, filters and output; "Sync now" syncs one (the calendar
// shows the result and its file is written). Removing asks first (the calendar file itself stays).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, call } from '../../api.ts';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import type { Session } from '../../session.ts';
import type { AccountView, ProfileView } from '../../types.ts';
import { ProfileForm } from './ProfileForm.tsx';

export function ProfilesView({ session, scanning, onScan, onChanged }: {
  session: Session; scanning: boolean; onScan: (profile: string, account: string, hasPassword: boolean) => void; onChanged?: () => void;
}) {
  const [profiles, setProfiles] = useState<ProfileView[]>([]);
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [editing, setEditing] = useState<ProfileView | 'new' | null>(null);
  const [dialog, confirm] = useConfirm();
  const { report } = session;
  // Told after every reload; a ref, so a new callback from the parent never starts another reload.
  const changed = useRef(onChanged);
  changed.current = onChanged;
  const reload = useCallback(async () => {
    try {
      const [p, a] = await Promise.all([call(api().listProfiles({})), call(api().listAccounts({}))]);
      setProfiles(p);
      setAccounts(a);
      changed.current?.();
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
        {profiles.length > 0 && (
          <button type="button" onClick={() => setEditing('new')}>
            Add profile
          </button>
        )}
      </header>
      {!accounts.length && <p className="muted">Add an account first (under Accounts); a profile picks folders from it.</p>}
      {accounts.length > 0 && !profiles.length && !editing && (
        <div className="empty-state">
          <p>No profiles yet. A profile turns some folders of one account into one calendar file.</p>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add profile
          </button>
        </div>
      )}
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
                <button type="button" className="primary" disabled={scanning} onClick={() => onScan(name, profile.account, acc?.hasPassword ?? false)} aria-label={`Sync now: ${name}`}>
                  Sync now
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
