// The account password: typed here, sent to the keychain on save, never read back. Shows whether the
// keychain holds one, or that without a keychain it is kept for this session only.
import { TextField } from '../../components/TextField.tsx';

export function PasswordField({ value, onChange, keychain, hasPassword, onForget }: {
  value: string; onChange: (v: string) => void; keychain: boolean; hasPassword: boolean; onForget?: () => void;
}) {
  const hint = !keychain
    ? 'Not saved: the system keychain is unavailable. Kept in memory for this session only.'
    : hasPassword
      ? 'Password saved in keychain. Type a new one to replace it.'
      : 'Saved in the system keychain, never in the configuration file.';
  return (
    <div className="field-group">
      <TextField label="Password" type="password" autoComplete="new-password" value={value} onChange={(e) => onChange(e.target.value)} placeholder={keychain && hasPassword ? '••••••• (saved in keychain)' : ''} hint={hint} />
      {keychain && hasPassword && onForget && (
        <button type="button" className="link" onClick={onForget}>
          Forget saved password
        </button>
      )}
    </div>
  );
}
