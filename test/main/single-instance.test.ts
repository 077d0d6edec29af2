// Single instance with electron's app mocked: the lock decides, a second start reveals the first window.
import { describe, expect, it, vi } from 'vitest';
import { claimSingleInstance, revealWindow } from '../../electron/main/single-instance.ts';

function fakeApp(gotLock: boolean) {
  const handlers = new Map<string, (...a: unknown[]) => void>();
  return { handlers, requestSingleInstanceLock: vi.fn(() => gotLock), on: vi.fn((ev: string, fn: (...a: unknown[]) => void) => handlers.set(ev, fn)), focus: vi.fn() };
}

function fakeWindow(s: { minimized: boolean; visible: boolean }) {
  const calls: string[] = [];
  return {
    calls,
    isMinimized: () => s.minimized,
    isVisible: () => s.visible,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  };
}

describe('single instance', () => {
  it('the first start takes the lock and answers later starts', () => {
    const app = fakeApp(true);
    const seen: string[][] = [];
    expect(claimSingleInstance(app as never, (argv) => seen.push(argv))).toBe(true);
    app.handlers.get('second-instance')!({}, ['/opt/mailbox2ics/mailbox2ics', '--hidden'], '/home/a');
    expect(seen).toEqual([['/opt/mailbox2ics/mailbox2ics', '--hidden']]);
  });

  it('a second start does not take the lock and registers nothing (it quits)', () => {
    const app = fakeApp(false);
    expect(claimSingleInstance(app as never, () => {})).toBe(false);
    expect(app.on).not.toHaveBeenCalled();
  });

  it('brings the existing window to the front: restored from minimized, shown from the tray, focused', () => {
    const app = fakeApp(true);
    const minimized = fakeWindow({ minimized: true, visible: true });
    revealWindow(minimized as never, app as never);
    expect(minimized.calls).toEqual(['restore', 'focus']);
    const inTray = fakeWindow({ minimized: false, visible: false });
    revealWindow(inTray as never, app as never);
    expect(inTray.calls).toEqual(['show', 'focus']);
    expect(app.focus).toHaveBeenCalledWith({ steal: true });
  });
});
