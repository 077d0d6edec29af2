// Types of scripts/check-packaged.mjs for the tests.
export function layout(dir: string, platform: string): { binary: string; arch: number; launcher: string[] };
export function checkPackaged(dir: string, opts?: { platform?: string; reference?: string; say?: (line: string) => void }): Promise<string[]>;
