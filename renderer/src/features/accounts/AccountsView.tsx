// Accounts: the list, and a form to add or edit one. Removing asks first (it also forgets the
// account's saved password).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, call } from '../../api.ts';
import { useConfirm } from '../../components/ConfirmDialog.tsx';
import type { Session } from '../../session.ts';
import type { AccountView } from '../../types.ts';
import { AccountForm } from './AccountForm.tsx';

const SECURITY: Record<AccountView['account']['security'], string> = { tls: 'TLS', starttls: 'STARTTLS', plaintext: 'plain text (unencrypted)' };

export function AccountsView({ session, onChanged }: { session: Session; onChanged?: () => void }) {
  const [accounts, setAccounts] = useState<AccountView[]>([]);
  const [editing, setEditing] = useState<AccountView | 'new' | null>(null);
  const [dialog, confirm] = useConfirm();
  const { report } = session;
  // Told after every reload; a ref, so a new callback from the parent never starts another reload.
  const changed = useRef(onChanged);
  changed.current = onChanged;
  const reload = useCallback(
    () =>
      call(api().listAccounts({})).then((a) => {
        setAccounts(a);
        changed.current?.();
      }, report),
    [report],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const remove = async (name: string) => {
    if (!(await confirm(`Remove account ${name}?`, `The account "${name}" and its saved password are removed. Profiles using it stop working until you pick another account.`, 'Remove account'))) return;
    try {
      await call(api().removeAccount({ name }));
      if (editing !== 'new' && editing?.name === name) setEditing(null);
      await reload();
    } catch (err) {
      report(err);
    }
  };

  return (
    <section aria-labelledby="accounts-title">
      <header className="section-head">
        <h2 id="accounts-title">Accounts</h2>
        {accounts.length > 0 && (
          <button type="button" onClick={() => setEditing('new')}>
            Add account
          </button>
        )}
      </header>
      {accounts.length === 0 && !editing && (
        <div className="empty-state">
          <p>No accounts yet. Add the IMAP server that holds the calendar folders.</p>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add account
          </button>
        </div>
      )}
      <ul className="cards" aria-label="Accounts">
        {accounts.map((a) => (
          <li key={a.name} className="card">
            <div>
              <strong>{a.name}</strong>
              <div className="muted">
                {a.account.username}@{a.account.host}
                {a.account.port ? `:${a.account.port}` : ''} · {SECURITY[a.account.security]}
                {a.account.pinnedFingerprint ? ' · pinned certificate' : ''}
                {a.account.auth?.kind === 'oauth2' ? (a.hasPassword ? ' · signed in' : ' · needs sign-in') : session.keychainAvailable ? (a.hasPassword ? ' · password in keychain' : ' · no saved password') : ' · password asked each session'}
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
      {dialog}
    </section>
  );
}
