// Builds the folder tree from the server's flat list (full path + hierarchy delimiter). Parents the
// server does not list (namespace roots such as "Public Folders") become nodes without a folder, so
// they show as roots but cannot be checked. Pure: no DOM, no React.
import type { Folder } from '../../types.ts';

export interface TreeNode {
  folder?: Folder;
  label: string;
  path: string;
  depth: number;
  children: TreeNode[];
}

export function buildTree(folders: Folder[]): TreeNode[] {
  const roots: TreeNode[] = [];
  const byPath = new Map<string, TreeNode>();
  // INBOX (and what is under it) first, then the rest alphabetically.
  const key = (f: Folder) => `${(f.delimiter ? f.path.split(f.delimiter)[0] : f.path).toUpperCase() === 'INBOX' ? 0 : 1}${f.path}`;
  for (const f of [...folders].sort((a, b) => key(a).localeCompare(key(b)))) {
    const parts = f.delimiter ? f.path.split(f.delimiter) : [f.path];
    let level = roots;
    let prefix = '';
    parts.forEach((label, i) => {
      prefix = i ? `${prefix}${f.delimiter}${label}` : label;
      let node = byPath.get(prefix);
      if (!node) {
        node = { label, path: prefix, depth: i, children: [] };
        byPath.set(prefix, node);
        level.push(node);
      }
      if (i === parts.length - 1) node.folder = f;
      level = node.children;
    });
  }
  return roots;
}

export const checkable = (n: TreeNode) => !!n.folder && n.folder.selectable;

/** Keeps nodes whose path contains the query, and the ancestors of those (so the match stays in context). */
export function filterTree(nodes: TreeNode[], query: string): TreeNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return nodes;
  const out: TreeNode[] = [];
  for (const n of nodes) {
    const children = filterTree(n.children, q);
    if (n.path.toLowerCase().includes(q) || children.length) out.push({ ...n, children });
  }
  return out;
}

/** The nodes a keyboard user can reach, in screen order: children only of expanded nodes. */
export function visibleNodes(nodes: TreeNode[], isExpanded: (n: TreeNode) => boolean): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (list: TreeNode[]) => {
    for (const n of list) {
      out.push(n);
      if (n.children.length && isExpanded(n)) walk(n.children);
    }
  };
  walk(nodes);
  return out;
}
