// A dismissible alert: what failed (the error's title) and the message that names the thing at fault.
import type { UiError } from '../api.ts';

export function ErrorAlert({ error, onDismiss }: { error: UiError; onDismiss: () => void }) {
  return (
    <div className="banner error" role="alert">
      <strong>{error.title}</strong>
      <p className="pre">{error.message}</p>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
