// The engine worker thread: owns the sync cache and the kept-open IMAP connections of a long-running
// process and runs the heavy jobs there, so the main thread (window, tray, feed) never waits on them.
// Never writes output files or the configuration; answers every job, failed ones with their error.
import { parentPort, workerData } from 'node:worker_threads';
import { ConnectionPool } from '../imap/connection-pool.ts';
import { openCacheSafely } from '../store/open-cache.ts';
import { runOccurrencesJob, runPreviewJob, runSyncJob, type EngineContext, type PreviewJob, type SyncJob } from './engine-jobs.ts';
import { toWire, type HostMessage, type WorkerInit, type WorkerMessage } from './engine-protocol.ts';

const port = parentPort!;
const init = workerData as WorkerInit;
const send = (m: WorkerMessage) => port.postMessage(m);

const opened = init.cacheFile ? openCacheSafely(init.cacheFile, { deferFeedWrites: init.deferFeedWrites }) : undefined;
const ctx: EngineContext = { cache: opened?.cache, pool: new ConnectionPool() };
const running = new Map<number, AbortController>();

async function handle(m: Extract<HostMessage, { type: 'job' }>): Promise<unknown> {
  if (m.job === 'sync') {
    const abort = new AbortController();
    running.set(m.id, abort);
    try {
      return await runSyncJob(ctx, m.args as SyncJob, abort.signal, (progress) => send({ type: 'progress', id: m.id, progress }));
    } finally {
      running.delete(m.id);
    }
  }
  if (m.job === 'preview') return runPreviewJob(ctx, m.args as PreviewJob);
  const a = m.args as { ics: string; from: string; to: string };
  return runOccurrencesJob(a.ics, new Date(a.from), new Date(a.to));
}

port.on('message', (m: HostMessage) => {
  if (m.type === 'job') {
    handle(m).then((value) => send({ type: 'done', id: m.id, value }), (err) => send({ type: 'failed', id: m.id, error: toWire(err) }));
  } else if (m.type === 'cancel') {
    running.get(m.id)?.abort();
  } else if (m.type === 'close') {
    for (const a of running.values()) a.abort();
    void ctx.pool!.closeAll().catch(() => undefined).finally(() => {
      ctx.cache?.close();
      send({ type: 'closed' });
      port.close();
    });
  }
});
send({ type: 'ready', notice: opened?.notice });
