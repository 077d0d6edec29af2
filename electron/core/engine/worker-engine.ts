// The Engine whose jobs run in a worker thread (see engine-worker.ts). A cancelled job that does not
// end within a grace period, or a worker that dies, gets the worker replaced: the next job starts a
// fresh one, and the jobs it held fail with a clear error instead of hanging.
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import type { ScanProgress } from '../imap/scan.ts';
import type { SyncResult } from '../sync/run-sync.ts';
import type { Engine } from './engine.ts';
import type { Occurrences, PreviewJob, PreviewOutcome, SyncJob } from './engine-jobs.ts';
import { fromWire, type HostMessage, type WorkerInit, type WorkerMessage } from './engine-protocol.ts';

/** Why: a cancelled sync closes its connection at once; 10 s is ample for it to unwind, and short
 * enough that a worker stuck in a computation is replaced before the user tries again. */
export const CANCEL_GRACE_MS = 10_000;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (p: ScanProgress) => void;
}

export interface WorkerEngineOptions extends WorkerInit {
  /** The worker script; by default engine-worker.mjs next to this module (or the app's bundle). */
  workerUrl?: URL;
  cancelGraceMs?: number;
  /** Told once when the worker could not open the cache as it was (moved aside, or in memory). */
  onNotice?: (notice: string) => void;
  log?: (line: string) => void;
}

export class WorkerEngine implements Engine {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Workers started so far (1 unless one was replaced). */
  generation = 0;

  constructor(private readonly opts: WorkerEngineOptions = {}) {}

  private spawn(): Worker {
    const url = this.opts.workerUrl ?? new URL('./engine-worker.mjs', import.meta.url);
    const w = new Worker(url, { workerData: { cacheFile: this.opts.cacheFile, deferFeedWrites: this.opts.deferFeedWrites } satisfies WorkerInit });
    this.generation++;
    w.on('message', (m: WorkerMessage) => this.onMessage(m));
    w.on('error', (err) => this.lost(w, `the sync engine failed: ${err.message}`));
    w.on('exit', (code) => this.lost(w, `the sync engine stopped (exit code ${code})`));
    return w;
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type === 'ready') {
      if (m.notice) this.opts.onNotice?.(m.notice);
      return;
    }
    if (m.type === 'closed') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m.progress as ScanProgress);
    else if (m.type === 'done') {
      this.pending.delete(m.id);
      p.resolve(m.value);
    } else {
      this.pending.delete(m.id);
      p.reject(fromWire(m.error));
    }
  }

  /** The worker is gone (crashed, or terminated by replace): everything it held fails, plainly. */
  private lost(w: Worker, why: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new AppError('INTERNAL', `${why}; the job was abandoned and the engine restarted.`));
    }
  }

  /** Ends the current worker at once (a stuck computation cannot be interrupted any other way). */
  replace(reason: string): void {
    const w = this.worker;
    if (!w) return;
    this.opts.log?.(`sync engine replaced: ${reason}`);
    this.lost(w, reason);
    void w.terminate();
  }

  private call<T>(job: Extract<HostMessage, { type: 'job' }>['job'], args: unknown, opts: { signal?: AbortSignal; onProgress?: (p: ScanProgress) => void } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('CANCELLED', 'The sync engine is shutting down.'));
    if (opts.signal?.aborted) return Promise.reject(new AppError('CANCELLED', 'The sync was cancelled.'));
    this.worker ??= this.spawn();
    const w = this.worker;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      let grace: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        clearTimeout(grace);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        w.postMessage({ type: 'cancel', id } satisfies HostMessage);
        grace = setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.replace(`a cancelled job did not stop within ${Math.round((this.opts.cancelGraceMs ?? CANCEL_GRACE_MS) / 1000)} s`);
        }, this.opts.cancelGraceMs ?? CANCEL_GRACE_MS);
        grace.unref?.();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => {
          settle();
          resolve(v as T);
        },
        reject: (e) => {
          settle();
          reject(opts.signal?.aborted && e instanceof AppError && e.code === 'INTERNAL' ? new AppError('CANCELLED', 'The sync was cancelled.') : e);
        },
        onProgress: opts.onProgress,
      });
      w.postMessage({ type: 'job', id, job, args } satisfies HostMessage);
    });
  }

  sync(job: SyncJob, opts: { signal?: AbortSignal; onProgress?: (p: ScanProgress) => void } = {}): Promise<SyncResult> {
    return this.call<SyncResult>('sync', job, opts);
  }

  preview(job: PreviewJob): Promise<PreviewOutcome> {
    return this.call<PreviewOutcome>('preview', job);
  }

  occurrences(ics: string, from: Date, to: Date): Promise<Occurrences> {
    return this.call<Occurrences>('occurrences', { ics, from: from.toISOString(), to: to.toISOString() });
  }

  /** Lets running jobs end (their connections closed), stores what the cache holds, ends the worker. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    if (!w) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => void w.terminate().then(() => resolve()), this.opts.cancelGraceMs ?? CANCEL_GRACE_MS);
      w.on('message', (m: WorkerMessage) => {
        if (m.type === 'closed') {
          clearTimeout(done);
          resolve();
        }
      });
      w.on('exit', () => {
        clearTimeout(done);
        resolve();
      });
      w.postMessage({ type: 'close' } satisfies HostMessage);
    });
    this.worker = undefined;
  }
}
