// Messages between the WorkerEngine (main thread) and the engine worker, and how errors cross:
// an AppError keeps its code, message and detail; anything else becomes INTERNAL with its message.
import { AppError } from '../errors.ts';
import type { ErrorCode } from '../../shared/errors.ts';

export interface WorkerInit {
  /** The sync cache file, or undefined for a run without cache. */
  cacheFile?: string;
  deferFeedWrites?: number;
}

export type HostMessage =
  | { type: 'job'; id: number; job: 'sync' | 'preview' | 'occurrences'; args: unknown }
  | { type: 'cancel'; id: number }
  | { type: 'close' };

export type WorkerMessage =
  | { type: 'ready'; notice?: string }
  | { type: 'progress'; id: number; progress: unknown }
  | { type: 'done'; id: number; value: unknown }
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'closed' };

export interface WireError {
  code: ErrorCode;
  message: string;
  detail?: Record<string, unknown>;
}

export function toWire(err: unknown): WireError {
  if (err instanceof AppError) return { code: err.code, message: err.message, detail: err.detail ? JSON.parse(JSON.stringify(err.detail)) : undefined };
  return { code: 'INTERNAL', message: (err as Error)?.message ?? String(err) };
}

export function fromWire(w: WireError): AppError {
  return new AppError(w.code, w.message, w.detail);
}
