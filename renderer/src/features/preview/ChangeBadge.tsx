// The "since the last sync" badge of an event: new, updated or cancelled (nothing when unchanged).
// The caller leaves it out after a profile's first sync, when everything would be "new".
import type { PreviewEvent } from '../../../../electron/shared/ipc-contract.ts';
import { CHANGE_LABEL } from './format.ts';

export function ChangeBadge({ change }: { change: PreviewEvent['change'] }) {
  if (change === 'unchanged') return null;
  return <span className={`badge ${change}`}>{CHANGE_LABEL[change]}</span>;
}
