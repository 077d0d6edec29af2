// The bench's child scripts (our scan, the three floors, the feed server) bundled with esbuild as the product is
// (electron/build.mjs: node_modules left to load at run time), so each runs under plain Node as users
// run mailbox2ics: through tsx, a child held ~30 MB more (its loader and compiled sources) than the
// bundled command. Written into the repository (dist-bench/), where the packages resolve.
import { build } from 'esbuild';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const BENCH_BUNDLE_DIR = path.join(ROOT, 'dist-bench');

/** Builds the children; returns the path of each bundled script by its source name ('scan-child.ts' → …/scan-child.mjs). */
export async function bundleBenchChildren(): Promise<(script: string) => string> {
  const names = ['scan-child', 'floor-imapflow', 'floor-raw', 'floor-resync', 'feed-child'];
  await build({
    entryPoints: Object.fromEntries(names.map((n) => [n, path.join(import.meta.dirname, `${n}.ts`)])),
    bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent',
    outdir: BENCH_BUNDLE_DIR, outExtension: { '.js': '.mjs' },
  });
  return (script) => path.join(BENCH_BUNDLE_DIR, script.replace(/\.ts$/, '.mjs'));
}
