// A stand-in engine worker for WorkerEngine's own tests: answers `occurrences` jobs with their
// arguments, spins forever (a stuck computation) on `{ spin: true }`, exits on `{ exit: N }`. Test-only.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.type === 'close') {
    parentPort.postMessage({ type: 'closed' });
    parentPort.close();
    return;
  }
  if (m.type !== 'job') return;
  const args = m.args ?? {};
  if (args.ics === 'spin') for (;;);
  if (args.ics === 'exit') process.exit(3);
  parentPort.postMessage({ type: 'done', id: m.id, value: { echoed: args.ics, thread: 'worker' } });
});
parentPort.postMessage({ type: 'ready' });
