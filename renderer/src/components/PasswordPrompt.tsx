// A small modal asking for one account's password; Escape or Cancel gives up. The password goes
// only to the caller (and from there to main for the call at hand); it is never shown or stored here.
import { useState } from 'react';
import { Modal } from './Modal.tsx';

export function PasswordPrompt({ account, keychain = false, onDone }: { account: string; keychain?: boolean; onDone: (pw: string | undefined) => void }) {
  const [pw, setPw] = useState('');
  return (
    <Modal labelledBy="pw-title" describedBy="pw-hint" onCancel={() => onDone(undefined)}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (pw) onDone(pw);
        }}
      >
        <h2 id="pw-title">Password for {account}</h2>
        <p id="pw-hint" className="muted">
          {keychain
            ? 'Used for this sync only. To save it in the system keychain, type it in the account\'s settings (Accounts → Edit).'
            : 'Used for this session only: the system keychain is unavailable, so it cannot be saved.'}
        </p>
        <label>
          Password
          <input type="password" autoComplete="current-password" value={pw} onChange={(e) => setPw(e.target.value)} data-autofocus />
        </label>
        <div className="actions">
          <button type="submit" disabled={!pw}>
            Continue
          </button>
          <button type="button" onClick={() => onDone(undefined)}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
