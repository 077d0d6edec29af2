// Accounts: the list, and a form to add or edit one. Removing asks first.
import { useCallback, useEffect, useState } from 'react';
import type { Response } from '../../../../electron/shared/ipc-contract.ts';
import { api, call } from '../../api.ts';
import type { Session } from '../../App.tsx';
import { AccountForm } from './AccountForm.tsx';

type AccountView = Response<'accounts:list'>[number];

export function AccountsView({ session }: { session: Session }) {
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [editing, setEditing] = useState<AccountView | 'new' | null>(null);
  const reload = useCallback(() => call(api().listAccounts({})).then(setAccounts, session.report), [session.report]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const remove = async (name: string) => {
    if (!window.confirm(`Remove the account "${name}" and its saved password?`)) return;
    try {
      await call(api().removeAccount({ name }));
      setEditing(null);
      await reload();
    } catch (err) {
      session.report(err);
    }
  };

  return (
    <section aria-labelledby="accounts-title">
      <header className="section-head">
        <h2 id="accounts-title">Accounts</h2>
        <button type="button" onClick={() => setEditing('new')}>
          Add account
        </button>
      </header>
      {accounts.length === 0 && <p className="muted">No accounts yet. Add the IMAP server that holds the calendar folders.</p>}
      <ul className="cards" aria-label="Accounts">
        {accounts.map((a) => (
          <li key={a.name} className="card">
            <div>
              <strong>{a.name}</strong>
              <div className="muted">
                {a.account.username}@{a.account.host}
                {a.account.port ? `:${a.account.port}` : ''} · {a.account.security.toUpperCase()}
                {a.account.pinnedFingerprint ? ' · pinned certificate' : ''} · {a.hasPassword ? 'password in keychain' : 'no saved password'}
              </div>
            </div>
            <div className="actions">
              <button type="button" onClick={() => setEditing(a)} aria-label={`Edit ${a.name}`}>
                Edit
              </button>
              <button type="button" onClick={() => void remove(a.name)} aria-label={`Remove ${a.name}`}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      {editing && (
        <AccountForm
          key={editing === 'new' ? 'new' : editing.name}
          session={session}
          initial={editing === 'new' ? undefined : editing}
          onSaved={() => void reload()}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  );
}
