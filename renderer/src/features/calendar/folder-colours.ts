// A colour per source folder (the same folder keeps its colour across views), from a fixed palette
// of CSS classes .folder-0 … .folder-7 that are legible in light and dark. Pure.

/** Why 8: distinguishable swatches; more folders reuse the palette in order. */
export const FOLDER_PALETTE = 8;

export function folderColours(folders: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(folders)].sort((a, b) => a.localeCompare(b));
  return new Map(sorted.map((f, i) => [f, i % FOLDER_PALETTE]));
}
