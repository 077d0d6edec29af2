// Names for the contract's view types the UI passes around. Derived from the zod schemas in
// electron/shared; never a second hand-written shape.
import type { z } from 'zod';
import type { CertificateSchema, Response } from '../../electron/shared/ipc-contract.ts';

export type AppInfo = Response<'app:info'>;
export type AccountView = Response<'accounts:list'>[number];
export type ProfileView = Response<'profiles:list'>[number];
export type Folder = Response<'folders:list'>[number];
export type Certificate = z.infer<typeof CertificateSchema>;
export type Security = AccountView['account']['security'];
