// Builds the Electron main process, the engine worker and the sandboxed preload into dist-electron/
// with esbuild. Main keeps node_modules external (native keytar/better-sqlite3 load at run time); the
// preload is one self-contained CommonJS file, as a sandboxed preload must be. The headless command is
// bundled into main.js too: the packaged app runs it with --mailbox2ics-cli (electron/main/cli-mode.ts);
// the npm package's bin runs its own bundle of it from dist-cli/ (buildCli).
import { build } from 'esbuild';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** What every Node-side bundle shares: ESM for Node 20, node_modules left to load at run time. */
const nodeEsm = (logLevel) => ({ bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: true, logLevel });

/** `out` must lie inside the repository, so the external packages resolve from its node_modules. */
export async function buildElectron(out = path.join(root, 'dist-electron'), logLevel = 'info') {
  await build({ ...nodeEsm(logLevel), entryPoints: [path.join(root, 'electron', 'main.ts')], outfile: path.join(out, 'main.js') });

  // The engine worker (scans and merges off the main thread), next to main.js under the name
  // WorkerEngine looks for (electron/core/engine/engine-worker.mjs is its development twin).
  await build({ ...nodeEsm(logLevel), entryPoints: [path.join(root, 'electron', 'core', 'engine', 'engine-worker.ts')], outfile: path.join(out, 'engine-worker.mjs') });

  await build({
    entryPoints: [path.join(root, 'electron', 'preload', 'index.ts')],
    outfile: path.join(out, 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome120',
    external: ['electron'],
    sourcemap: true,
    logLevel,
  });
}

/**
 * The headless command for the bin (electron/cli/bin.mjs): dist-cli/mailbox2ics.mjs, with what a run
 * does not need in chunks loaded on demand (`--version` loads none), and the engine worker next to them
 * under the name WorkerEngine looks for. Written to a fresh folder, then moved into place whole, so a
 * run that starts meanwhile sees the old bundle or the new one, never half of one.
 */
export async function buildCli(out = path.join(root, 'dist-cli'), logLevel = 'info') {
  const tmp = `${out}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await build({
    entryPoints: {
      mailbox2ics: path.join(root, 'electron', 'cli', 'cli-entry.ts'),
      'engine-worker': path.join(root, 'electron', 'core', 'engine', 'engine-worker.ts'),
    },
    ...nodeEsm(logLevel),
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    splitting: true,
  });
  const old = `${out}.old-${process.pid}`;
  await rename(out, old).catch(() => {});
  await rename(tmp, out);
  await rm(old, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await buildElectron();
  await buildCli();
}
