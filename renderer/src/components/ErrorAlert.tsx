// A dismissible alert: what failed (the error code's title) and the message naming the thing at
// fault, shown as text (messages may quote server or mail content).
import type { ReactNode } from 'react';
import type { IpcError } from '../../../electron/shared/ipc-contract.ts';
import { ERROR_TITLES } from '../../../electron/shared/errors.ts';

export function ErrorAlert({ error, onDismiss, children }: { error: IpcError; onDismiss?: () => void; children?: ReactNode }) {
  return (
    <div className="banner error" role="alert">
      <strong>{ERROR_TITLES[error.code] ?? 'Error'}</strong>
      <p className="pre">{error.message}</p>
      {children}
      {onDismiss && (
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
