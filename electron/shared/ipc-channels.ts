// The names of every IPC channel and the window-API function each becomes, without schemas, so
// the sandboxed preload can be bundled without zod. ipc-contract.ts adds the schemas; a test checks
// both tables list the same channels.

export const INVOKE_CHANNELS = {
  'app:info': 'appInfo',
  'accounts:list': 'listAccounts',
  'accounts:save': 'saveAccount',
  'accounts:remove': 'removeAccount',
  'password:set': 'setPassword',
  'password:delete': 'deletePassword',
  'connection:test': 'testConnection',
  'folders:list': 'listFolders',
  'profiles:list': 'listProfiles',
  'profiles:save': 'saveProfile',
  'profiles:remove': 'removeProfile',
  'scan:run': 'runScan',
  'scan:cancel': 'cancelScan',
  'preview:occurrences': 'previewOccurrences',
  'sync:status': 'syncStatus',
  'profiles:set-schedule': 'setSchedule',
  'feed:copy-link': 'copyFeedLink',
  'export:save': 'exportCalendar',
  'dialog:choose-output': 'chooseOutput',
  'dialog:choose-ca-file': 'chooseCaFile',
  'shell:show-in-folder': 'showInFolder',
  'signin:start': 'startSignIn',
  'signin:cancel': 'cancelSignIn',
  'signin:status': 'signInStatus',
  'signin:sign-out': 'signOut',
} as const;

export const EVENT_CHANNELS = {
  'scan:progress': 'onScanProgress',
} as const;

export type InvokeChannel = keyof typeof INVOKE_CHANNELS;
export type EventChannel = keyof typeof EVENT_CHANNELS;
