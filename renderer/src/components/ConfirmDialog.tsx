// Asks before something destructive (removing an account or profile). Escape or Cancel keeps
// everything; focus starts on Cancel so Enter alone never destroys anything.
import { useCallback, useState, type ReactNode } from 'react';
import { Modal } from './Modal.tsx';

interface Question {
  title: string;
  message: string;
  confirm: string;
  resolve: (yes: boolean) => void;
}

export function ConfirmDialog({ q }: { q: Question }) {
  return (
    <Modal role="alertdialog" labelledBy="confirm-title" describedBy="confirm-message" onCancel={() => q.resolve(false)}>
      <h2 id="confirm-title">{q.title}</h2>
      <p id="confirm-message">{q.message}</p>
      <div className="actions">
        <button type="button" className="danger" onClick={() => q.resolve(true)}>
          {q.confirm}
        </button>
        <button type="button" onClick={() => q.resolve(false)} data-autofocus>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

/** [the dialog to render (or null), ask(title, message, confirmLabel) → true when confirmed]. */
export function useConfirm(): [ReactNode, (title: string, message: string, confirm: string) => Promise<boolean>] {
  const [q, setQ] = useState<Question | null>(null);
  const ask = useCallback(
    (title: string, message: string, confirm: string) =>
      new Promise<boolean>((resolve) =>
        setQ({
          title, message, confirm,
          resolve: (yes) => {
            setQ(null);
            resolve(yes);
          },
        }),
      ),
    [],
  );
  return [q ? <ConfirmDialog q={q} /> : null, ask];
}
