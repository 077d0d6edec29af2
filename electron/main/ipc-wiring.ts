// Connects every contract channel to the service: checks the sender is our own main frame,
// validates the request and the response with the contract's zod schemas, and turns any failure
// into {ok:false, error:{code, message}}. Thrown errors never cross the IPC boundary.
import { CONTRACT, INVOKE_CHANNELS, type IpcError, type IpcResult, type InvokeChannel } from '../shared/ipc-contract.ts';
import { ERROR_CODES } from '../shared/errors.ts';

/** The part of Electron's ipcMain this needs (so tests can pass a mock). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: unknown }, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type ServiceLike = Record<(typeof INVOKE_CHANNELS)[InvokeChannel], (req: never) => Promise<unknown>>;

export function toIpcError(err: unknown): IpcError {
  const e = err as { code?: unknown; message?: unknown; detail?: { certificate?: unknown } };
  const code = typeof e?.code === 'string' && (ERROR_CODES as readonly string[]).includes(e.code) ? (e.code as IpcError['code']) : 'INTERNAL';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const out: IpcError = { code, message: code === 'INTERNAL' ? `Unexpected error: ${message}` : message };
  const cert = e?.detail?.certificate as IpcError['certificate'] | undefined;
  if (cert && typeof cert.fingerprint256 === 'string') out.certificate = cert;
  return out;
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(request)'}: ${i.message}`).join('; ');
}

export async function handleRequest(channel: InvokeChannel, service: ServiceLike, raw: unknown): Promise<IpcResult<unknown>> {
  const spec = CONTRACT[channel];
  const req = spec.request.safeParse(raw ?? {});
  if (!req.success) return { ok: false, error: { code: 'USAGE', message: `Invalid request for ${channel}: ${describeIssues(req.error.issues)}` } };
  let value: unknown;
  try {
    value = await service[INVOKE_CHANNELS[channel]](req.data as never);
  } catch (err) {
    return { ok: false, error: toIpcError(err) };
  }
  const res = spec.response.safeParse(value);
  if (!res.success) return { ok: false, error: { code: 'INTERNAL', message: `The answer to ${channel} did not match the contract: ${describeIssues(res.error.issues)}` } };
  return { ok: true, value: res.data };
}

/** Registers one handler per channel. isOurFrame decides whether a sender may talk to us at all. */
export function registerIpc(ipcMain: IpcMainLike, service: ServiceLike, isOurFrame: (frame: unknown) => boolean): () => void {
  const channels = Object.keys(INVOKE_CHANNELS) as InvokeChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, (event, raw) => {
      if (!isOurFrame(event.senderFrame)) {
        return { ok: false, error: { code: 'INTERNAL', message: `Refused ${channel}: the request did not come from the mailbox2ics window.` } } satisfies IpcResult<never>;
      }
      return handleRequest(channel, service, raw);
    });
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c));
}
