// The port through which the profile service and the app service run heavy work: in this thread
// (InProcessEngine: CLI, tests) or in a worker thread (WorkerEngine: the app and serve), same API.
import type { ScanProgress } from '../imap/scan.ts';
import type { SyncResult } from '../sync/run-sync.ts';
import { runOccurrencesJob, runPreviewJob, runSyncJob, type EngineContext, type Occurrences, type PreviewJob, type PreviewOutcome, type SyncJob } from './engine-jobs.ts';

export interface Engine {
  sync(job: SyncJob, opts?: { signal?: AbortSignal; onProgress?: (p: ScanProgress) => void }): Promise<SyncResult>;
  preview(job: PreviewJob): Promise<PreviewOutcome>;
  occurrences(ics: string, from: Date, to: Date): Promise<Occurrences>;
  close(): Promise<void>;
}

export class InProcessEngine implements Engine {
  constructor(private readonly ctx: EngineContext) {}

  sync(job: SyncJob, opts: { signal?: AbortSignal; onProgress?: (p: ScanProgress) => void } = {}): Promise<SyncResult> {
    return runSyncJob(this.ctx, job, opts.signal, opts.onProgress);
  }

  async preview(job: PreviewJob): Promise<PreviewOutcome> {
    return runPreviewJob(this.ctx, job);
  }

  async occurrences(ics: string, from: Date, to: Date): Promise<Occurrences> {
    return runOccurrencesJob(ics, from, to);
  }

  async close(): Promise<void> {
    // The context's cache and pool belong to the caller.
  }
}
