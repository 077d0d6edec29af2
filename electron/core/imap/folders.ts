// Lists the folder tree (all namespaces, any delimiter) and resolves user-given folder names,
// suggesting the closest existing names when one does not exist. Read-only: LIST and STATUS only.
import type { ImapFlow } from 'imapflow';
import { distance } from 'fastest-levenshtein';
import { AppError } from '../errors.ts';

export interface FolderInfo {
  path: string;
  name: string;
  delimiter: string;
  specialUse?: string;
  /** Message count from STATUS, when the folder can be selected. */
  messages?: number;
  /** \Noselect folders are containers only. */
  selectable: boolean;
}

export async function listFolders(client: ImapFlow, withCounts = true): Promise<FolderInfo[]> {
  const list = await client.list(withCounts ? { statusQuery: { messages: true } } : {});
  return list
    .map((f) => ({
      path: f.path,
      name: f.name,
      delimiter: f.delimiter ?? '/',
      specialUse: f.specialUse,
      messages: f.status?.messages,
      selectable: !f.flags.has('\\Noselect') && !f.flags.has('\\NonExistent'),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The closest existing folder names, best first (for "did you mean"). */
export function closestFolders(wanted: string, folders: FolderInfo[], max = 3): string[] {
  const w = wanted.toLowerCase();
  return folders
    .map((f) => {
      const p = f.path.toLowerCase();
      // Accept either delimiter when comparing: users type "Work/Events" for "Work.Events".
      const alt = p.replace(new RegExp(`\\${f.delimiter}`, 'g'), '/');
      const d = Math.min(distance(w, p), distance(w.replace(/\./g, '/'), alt));
      const bonus = p.endsWith(w) || w.endsWith(f.name.toLowerCase()) ? -2 : 0;
      return { path: f.path, score: d + bonus };
    })
    .sort((a, b) => a.score - b.score || (a.path < b.path ? -1 : 1))
    .slice(0, max)
    .map((x) => x.path);
}

/** Maps each requested name to an existing folder path, or throws FOLDER_NOT_FOUND listing suggestions. */
export function resolveFolders(requested: string[], folders: FolderInfo[]): string[] {
  return requested.map((name) => {
    const exact = folders.find((f) => f.path === name) ?? (name.toUpperCase() === 'INBOX' ? folders.find((f) => f.path.toUpperCase() === 'INBOX') : undefined);
    if (exact) {
      if (!exact.selectable) throw new AppError('FOLDER_NOT_FOUND', `Folder "${name}" holds only other folders and has no messages of its own.`, { folder: name });
      return exact.path;
    }
    // Same folder written with the other delimiter.
    const other = folders.find((f) => f.selectable && f.path === name.split(/[/.]/).join(f.delimiter));
    if (other) return other.path;
    const near = closestFolders(name, folders.filter((f) => f.selectable));
    const hint = near.length ? ` Closest existing folders: ${near.map((n) => `"${n}"`).join(', ')}.` : '';
    throw new AppError('FOLDER_NOT_FOUND', `Folder "${name}" does not exist on the server.${hint}`, { folder: name, suggestions: near });
  });
}

export function formatFolderTree(folders: FolderInfo[]): string {
  const lines = ['FOLDER\tDELIMITER\tSPECIAL-USE\tMESSAGES'];
  for (const f of folders) {
    lines.push([f.path, f.delimiter, f.specialUse ?? '', f.selectable ? String(f.messages ?? '?') : '(no messages: container)'].join('\t'));
  }
  return lines.join('\n') + '\n';
}
