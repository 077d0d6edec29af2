// Builds the Electron main process, the engine worker and the sandboxed preload into dist-electron/
// with esbuild. Main keeps node_modules external (native keytar/better-sqlite3 load at run time); the
// preload is one self-contained CommonJS file, as a sandboxed preload must be. The headless command is
// bundled into main.js too: the packaged app runs it with --mailbox2ics-cli (electron/main/cli-mode.ts).
import { build } from 'esbuild';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** `out` must lie inside the repository, so the external packages resolve from its node_modules. */
export async function buildElectron(out = path.join(root, 'dist-electron'), logLevel = 'info') {
  await build({
    entryPoints: [path.join(root, 'electron', 'main.ts')],
    outfile: path.join(out, 'main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel,
  });

  // The engine worker (scans and merges off the main thread), next to main.js under the name
  // WorkerEngine looks for (electron/core/engine/engine-worker.mjs is its development twin).
  await build({
    entryPoints: [path.join(root, 'electron', 'core', 'engine', 'engine-worker.ts')],
    outfile: path.join(out, 'engine-worker.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel,
  });

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

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await buildElectron();
