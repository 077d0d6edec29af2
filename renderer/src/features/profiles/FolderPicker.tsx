// The account's folder tree (built from full paths and the server's delimiter, every namespace as a
// root), message counts, a filter box and checkboxes. Containers that cannot be opened are not checkable.
import { useMemo, useState } from 'react';
import type { Response } from '../../../../electron/shared/ipc-contract.ts';

type Folder = Response<'folders:list'>[number];

interface Node {
  folder?: Folder;
  label: string;
  path: string;
  children: Node[];
}

export function buildTree(folders: Folder[]): Node[] {
  const roots: Node[] = [];
  const byPath = new Map<string, Node>();
  for (const f of [...folders].sort((a, b) => a.path.localeCompare(b.path))) {
    const parts = f.delimiter ? f.path.split(f.delimiter) : [f.path];
    let level = roots;
    let prefix = '';
    parts.forEach((label, i) => {
      prefix = i ? `${prefix}${f.delimiter}${label}` : label;
      let node = byPath.get(prefix);
      if (!node) {
        node = { label, path: prefix, children: [] };
        byPath.set(prefix, node);
        level.push(node);
      }
      if (i === parts.length - 1) node.folder = f;
      level = node.children;
    });
  }
  return roots;
}

function matches(n: Node, q: string): boolean {
  return n.path.toLowerCase().includes(q) || n.children.some((c) => matches(c, q));
}

export function FolderPicker({ folders, selected, onChange }: { folders: Folder[]; selected: string[]; onChange: (paths: string[]) => void }) {
  const [query, setQuery] = useState('');
  const tree = useMemo(() => buildTree(folders), [folders]);
  const q = query.trim().toLowerCase();
  const toggle = (path: string, on: boolean) => onChange(on ? [...selected.filter((p) => p !== path), path] : selected.filter((p) => p !== path));

  const render = (nodes: Node[], depth: number) => (
    <ul role={depth ? 'group' : 'tree'} aria-label={depth ? undefined : 'Folders'} className="tree">
      {nodes.filter((n) => !q || matches(n, q)).map((n) => {
        const f = n.folder;
        const checkable = !!f && f.selectable;
        return (
          <li key={n.path} role="treeitem" aria-selected={selected.includes(n.path)} aria-expanded={n.children.length ? true : undefined}>
            <label className={checkable ? '' : 'muted'}>
              <input type="checkbox" disabled={!checkable} checked={selected.includes(n.path)} onChange={(e) => toggle(n.path, e.target.checked)} aria-label={`${n.path}${f?.messages !== undefined ? `, ${f.messages} messages` : ''}`} />
              {n.label}
              {f?.messages !== undefined && <span className="count">{f.messages}</span>}
              {f?.specialUse && <span className="tag">{f.specialUse.replace('\\', '')}</span>}
            </label>
            {n.children.length > 0 && render(n.children, depth + 1)}
          </li>
        );
      })}
    </ul>
  );

  return (
    <div className="folder-picker">
      <label>
        Filter folders
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Type part of a folder name" />
      </label>
      {render(tree, 0)}
      <p className="muted" aria-live="polite">
        {selected.length} folder{selected.length === 1 ? '' : 's'} selected
      </p>
    </div>
  );
}
