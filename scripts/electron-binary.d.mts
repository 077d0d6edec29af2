// Types of scripts/electron-binary.mjs for the tests.
export function electronBinary(env?: NodeJS.ProcessEnv): { bin?: string; missing?: string };
