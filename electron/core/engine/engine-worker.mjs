// Development entry of the engine worker: loads the TypeScript sources through tsx (the built app
// bundles electron/core/engine/engine-worker.ts under this same name next to its main bundle).
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
