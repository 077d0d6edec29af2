// The account's folder tree with message counts, a filter box and checkboxes. A keyboard user moves
// with the arrow keys (Right/Left open and close, Home/End), Space or Enter checks; containers that
// cannot be opened (\Noselect, namespace roots) are not checkable.
import { useMemo, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import type { Folder } from '../../types.ts';
import { buildTree, checkable, filterTree, visibleNodes, type TreeNode } from './folder-tree.ts';

export { buildTree };

export function FolderPicker({ folders, selected, onChange }: { folders: Folder[]; selected: string[]; onChange: (paths: string[]) => void }) {
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [active, setActive] = useState<string>();
  const treeRef = useRef<HTMLUListElement>(null);
  const full = useMemo(() => buildTree(folders), [folders]);
  const tree = useMemo(() => filterTree(full, query), [full, query]);
  // While filtering every match is shown, whatever was collapsed.
  const isExpanded = (n: TreeNode) => !!query.trim() || !collapsed.has(n.path);
  const order = visibleNodes(tree, isExpanded);
  const current = order.find((n) => n.path === active) ?? order[0];
  const isOn = (path: string) => selected.includes(path);

  const toggle = (n: TreeNode) => {
    if (!checkable(n)) return;
    onChange(isOn(n.path) ? selected.filter((p) => p !== n.path) : [...selected, n.path]);
  };
  const setOpen = (n: TreeNode, open: boolean) => {
    const next = new Set(collapsed);
    if (open) next.delete(n.path);
    else next.add(n.path);
    setCollapsed(next);
  };
  const focus = (n: TreeNode | undefined) => {
    if (!n) return;
    setActive(n.path);
    const items = treeRef.current?.querySelectorAll<HTMLElement>('[data-path]') ?? [];
    [...items].find((el) => el.dataset.path === n.path)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!current) return;
    const i = order.indexOf(current);
    const onCheckbox = (e.target as HTMLElement).tagName === 'INPUT';
    const parent = order.slice(0, i).reverse().find((n) => n.depth === current.depth - 1);
    const actions: Record<string, () => void> = {
      ArrowDown: () => focus(order[i + 1]),
      ArrowUp: () => focus(order[i - 1]),
      Home: () => focus(order[0]),
      End: () => focus(order[order.length - 1]),
      ArrowRight: () => (current.children.length && !isExpanded(current) ? setOpen(current, true) : focus(current.children.length ? order[i + 1] : undefined)),
      ArrowLeft: () => (current.children.length && isExpanded(current) && !query.trim() ? setOpen(current, false) : focus(parent)),
      Enter: () => toggle(current),
      // A focused checkbox toggles itself on Space; do not toggle twice.
      ' ': () => !onCheckbox && toggle(current),
    };
    const act = actions[e.key];
    if (!act || (e.key === ' ' && onCheckbox)) return;
    e.preventDefault();
    act();
  };
  const onFocus = (e: FocusEvent) => {
    const path = (e.target as HTMLElement).closest<HTMLElement>('[data-path]')?.dataset.path;
    if (path !== undefined) setActive(path);
  };

  // A flat list of treeitems with aria-level (allowed by ARIA): an item's name then matches its
  // visible row, which nested children would otherwise become part of.
  const items = order.map((n) => {
    const f = n.folder;
    const open = isExpanded(n);
    const name = `${n.path}${f?.messages !== undefined ? `, ${f.messages} messages` : ''}`;
    // In the row's visible order (label, tag, count), so the name contains what is seen.
    const own = `${n.label}${f?.specialUse ? `, ${f.specialUse.replace('\\', '')}` : ''}${f?.messages !== undefined ? `, ${f.messages} messages` : ''}`;
    const where = n.depth ? ` (in ${n.path.slice(0, n.path.length - n.label.length - 1)})` : '';
    return (
      <li
        key={n.path}
        role="treeitem"
        data-path={n.path}
        tabIndex={n === current ? 0 : -1}
        aria-level={n.depth + 1}
        aria-label={checkable(n) ? `${own}${where}` : `${own}${where} (container, cannot be selected)`}
        aria-checked={checkable(n) ? isOn(n.path) : undefined}
        aria-expanded={n.children.length ? open : undefined}
        className={`depth-${Math.min(n.depth, 8)}`}
      >
        <div className={`tree-row${checkable(n) ? '' : ' muted'}`}>
          {n.children.length > 0 ? (
            // The arrow is drawn by CSS, so it is no part of the row's text.
            <span className={`expander ${open ? 'open' : 'closed'}`} aria-hidden="true" onClick={() => setOpen(n, !open)} />
          ) : (
            <span className="expander" aria-hidden="true" />
          )}
          <label>
            <input type="checkbox" tabIndex={-1} disabled={!checkable(n)} checked={isOn(n.path)} onChange={() => toggle(n)} aria-label={name} />
            <span className="folder-name">{n.label}</span>
          </label>{' '}
          {f?.specialUse && <span className="tag">{f.specialUse.replace('\\', '')}</span>}{' '}
          {f?.messages !== undefined && <span className="count" aria-hidden="true">{f.messages}</span>}
        </div>
      </li>
    );
  });

  return (
    <div className="folder-picker">
      <label>
        Filter folders
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Type part of a folder name" />
      </label>
      {order.length ? (
        <ul ref={treeRef} role="tree" aria-label="Folders" aria-multiselectable="true" className="tree" onKeyDown={onKeyDown} onFocus={onFocus}>
          {items}
        </ul>
      ) : (
        <p className="muted">{folders.length ? 'No folder matches the filter.' : 'The server lists no folders.'}</p>
      )}
      <p className="muted wrap" aria-live="polite">
        <span>
          {selected.length} folder{selected.length === 1 ? '' : 's'} selected
        </span>
        {selected.length > 0 && <span>: {selected.join(', ')}</span>}
      </p>
    </div>
  );
}
