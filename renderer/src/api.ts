// Access to the window API, and a helper that turns {ok:false} answers into thrown UiErrors so
// components can use try/catch. The renderer reaches main through nothing else.
import type { IpcError, IpcResult, WindowApi } from '../../electron/shared/ipc-contract.ts';
import { ERROR_TITLES } from '../../electron/shared/errors.ts';

export class UiError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
  }
  get title(): string {
    return ERROR_TITLES[this.error.code] ?? 'Error';
  }
}

export function api(): WindowApi {
  return window.mailbox2ics;
}

export async function call<T>(p: Promise<IpcResult<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new UiError(r.error);
  return r.value;
}

export function asUiError(err: unknown): UiError {
  if (err instanceof UiError) return err;
  return new UiError({ code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) });
}
