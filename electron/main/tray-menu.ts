// The tray: its menu model (a pure function of the schedule's state) and a small controller that
// keeps the menu, tooltip and notifications in step with the scheduler. Electron's classes are
// passed in, so tests run it with electron mocked.
import type { MenuItemConstructorOptions } from 'electron';
import type { ProfileStatus, Transition } from '../core/schedule/scheduler.ts';
import { isReauthMessage } from '../core/auth/oauth-errors.ts';

export interface TrayState {
  statuses: ProfileStatus[];
  paused: boolean;
  openAtLogin: boolean;
  /** webcal:// link per profile when the local feed is on. */
  feedLinks: Record<string, string>;
}

export interface TrayActions {
  syncNow(profile?: string): void;
  open(): void;
  setPaused(paused: boolean): void;
  setOpenAtLogin(on: boolean): void;
  copy(text: string): void;
  regenerateFeedLink(profile: string): void;
  quit(): void;
}

const hhmm = (t: number) => new Date(t).toTimeString().slice(0, 5);

/** "Synced 10:42 · 153 events" / "Failed 10:42: login rejected" / "Syncing…" / "Not synced yet". */
export function statusLine(s: ProfileStatus): string {
  if (s.state === 'running') return 'Syncing…';
  const ok = s.lastOk?.at ?? -1;
  const bad = s.lastError?.at ?? -1;
  if (s.failures > 0 && s.lastError && bad >= ok) return `Failed ${hhmm(bad)}: ${s.lastError.message.split('\n')[0].slice(0, 80)}`;
  if (s.lastOk) return `Synced ${hhmm(ok)} · ${s.lastOk.summary.replace(/ \(.*$/, '')}`;
  return s.state === 'disabled' ? 'Not scheduled' : 'Not synced yet';
}

export function trayMenuTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [{ label: 'Sync now', enabled: state.statuses.length > 0, click: () => actions.syncNow() }];
  items.push({ type: 'separator' });
  for (const s of state.statuses) {
    items.push({ label: `${s.name}: ${statusLine(s)}`, enabled: false });
    const link = state.feedLinks[s.name];
    if (link) {
      items.push({
        label: `${s.name} feed`,
        submenu: [
          { label: 'Copy subscription link (webcal://)', click: () => actions.copy(link) },
          { label: 'New link (the old one stops working)', click: () => actions.regenerateFeedLink(s.name) },
        ],
      });
    }
  }
  if (!state.statuses.length) items.push({ label: 'No sync profiles yet', enabled: false });
  items.push({ type: 'separator' });
  items.push({ label: 'Open mailbox2ics', click: () => actions.open() });
  items.push({ label: state.paused ? 'Resume schedule' : 'Pause schedule', click: () => actions.setPaused(!state.paused) });
  items.push({ label: 'Start at login', type: 'checkbox', checked: state.openAtLogin, click: () => actions.setOpenAtLogin(!state.openAtLogin) });
  items.push({ type: 'separator' });
  items.push({ label: 'Quit', click: () => actions.quit() });
  return items;
}

export function tooltip(state: TrayState): string {
  const failing = state.statuses.filter((s) => s.failures > 0).length;
  if (state.paused) return 'mailbox2ics: schedule paused';
  if (failing) return `mailbox2ics: ${failing} profile${failing > 1 ? 's' : ''} failing`;
  return 'mailbox2ics';
}

/** What a transition should tell the user, if anything: failing and recovered once; changes only on request. */
export function notificationFor(t: Transition, notifyChanges: boolean): { title: string; body: string } | undefined {
  // A dead sign-in does not heal by retrying: say what to do, once.
  if (t.kind === 'failing' && isReauthMessage(t.error)) return { title: `mailbox2ics: ${t.profile} needs a new sign-in`, body: `${t.error}\nThe last good calendar is kept.` };
  if (t.kind === 'failing') return { title: `mailbox2ics: ${t.profile} is failing`, body: `${t.error}\nThe last good calendar is kept; it will retry.` };
  if (t.kind === 'recovered') return { title: `mailbox2ics: ${t.profile} works again`, body: t.summary };
  if (t.kind === 'synced' && notifyChanges && t.changes) {
    const { added, updated, cancelled } = t.changes;
    if (added + updated + cancelled === 0) return undefined;
    return { title: `mailbox2ics: ${t.profile}`, body: `${added} new, ${updated} updated, ${cancelled} cancelled` };
  }
  return undefined;
}
