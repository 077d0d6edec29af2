// @vitest-environment jsdom
// Component tests (Testing Library, jsdom): the folder tree, event text rendered as text, the scan
// progress bar, the password prompt's keyboard behaviour. The full flows run in Chromium (test/e2e).
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildTree, FolderPicker } from '../../renderer/src/features/profiles/FolderPicker.tsx';
import { EventDetails } from '../../renderer/src/features/preview/EventDetails.tsx';
import { ScanProgress } from '../../renderer/src/features/scan/ScanProgress.tsx';
import { PasswordPrompt } from '../../renderer/src/components/PasswordPrompt.tsx';
import type { PreviewEvent } from '../../electron/shared/ipc-contract.ts';

afterEach(cleanup);

const folders = [
  { path: 'INBOX', name: 'INBOX', delimiter: '/', specialUse: '\\Inbox', messages: 12, selectable: true },
  { path: 'Team/Events', name: 'Events', delimiter: '/', messages: 40, selectable: true },
  { path: 'Team', name: 'Team', delimiter: '/', selectable: false },
  { path: 'Public Folders/Calendar', name: 'Calendar', delimiter: '/', messages: 3, selectable: true },
];

describe('folder picker', () => {
  it('builds the tree from paths and delimiters, namespaces as roots', () => {
    const tree = buildTree(folders);
    expect(tree.map((n) => n.label)).toEqual(['INBOX', 'Public Folders', 'Team']);
    expect(tree[2].children.map((c) => c.path)).toEqual(['Team/Events']);
    expect(tree[1].folder).toBeUndefined(); // a namespace root the server did not list
  });

  it('filters, shows counts, refuses containers and reports the selection', () => {
    const onChange = vi.fn();
    render(<FolderPicker folders={folders} selected={['INBOX']} onChange={onChange} />);
    expect((screen.getByRole('checkbox', { name: 'Team' }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Team/Events, 40 messages' }));
    expect(onChange).toHaveBeenLastCalledWith(['INBOX', 'Team/Events']);
    fireEvent.change(screen.getByLabelText('Filter folders'), { target: { value: 'calendar' } });
    expect(screen.queryByRole('checkbox', { name: /INBOX/ })).toBeNull();
    expect(screen.getByRole('checkbox', { name: 'Public Folders/Calendar, 3 messages' })).toBeTruthy();
    expect(screen.getByText('1 folder selected')).toBeTruthy();
  });
});

describe('event details', () => {
  it('renders hostile event text as text', () => {
    const ev: PreviewEvent = {
      key: 'x', uid: 'x@y', kind: 'VEVENT', summary: '<img src=x onerror=alert(1)>', location: '<script>alert(2)</script>', organizer: 'Mallory', description: '<b>bold?</b>',
      start: '2026-11-25T10:00:00.000Z', end: '2026-11-25T11:00:00.000Z', allDay: false, recurring: false, cancelled: false,
      source: { folder: 'Team', uid: 7, subject: 'Invitation', from: 'm@evil.example' }, change: 'updated',
    };
    const { container } = render(<EventDetails event={ev} />);
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(screen.getByText('<b>bold?</b>')).toBeTruthy();
    expect(screen.getByText('Updated')).toBeTruthy();
    expect(screen.getByText('m@evil.example')).toBeTruthy();
  });
});

describe('scan progress and password prompt', () => {
  it('shows folder and counts, and Cancel calls back', () => {
    const onCancel = vi.fn();
    render(<ScanProgress progress={{ scanId: 's', folder: 'Team', folderIndex: 1, folderCount: 3, done: 250, total: 1000, calendarParts: 0 }} onCancel={onCancel} />);
    expect(screen.getByText(/Team \(folder 2 of 3\): 250 \/ 1000 messages/)).toBeTruthy();
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBe(25);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('the password prompt submits the typed password, and Escape gives up', () => {
    const done = vi.fn();
    render(<PasswordPrompt account="work" onDone={done} />);
    const input = screen.getByLabelText('Password');
    expect(document.activeElement).toBe(input);
    fireEvent.change(input, { target: { value: 's3cret' } });
    fireEvent.submit(input.closest('form')!);
    expect(done).toHaveBeenLastCalledWith('s3cret');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(done).toHaveBeenLastCalledWith(undefined);
  });
});
