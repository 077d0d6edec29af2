// A modal asking for one account's password; Escape or Cancel gives up. The password goes only to
// the caller (and from there to main for this one call); it is never shown or stored here.
import { useEffect, useRef, useState } from 'react';

export function PasswordPrompt({ account, onDone }: { account: string; onDone: (pw: string | undefined) => void }) {
  const [pw, setPw] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <div className="backdrop" onKeyDown={(e) => e.key === 'Escape' && onDone(undefined)}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="pw-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (pw) onDone(pw);
        }}
      >
        <h2 id="pw-title">Password for {account}</h2>
        <label>
          Password
          <input ref={input} type="password" autoComplete="current-password" value={pw} onChange={(e) => setPw(e.target.value)} />
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
    </div>
  );
}
