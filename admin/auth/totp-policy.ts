import type { Role } from '../../domain/roles.ts';

/** `LOA_REQUIRE_TOTP`: whose accounts must have the second factor on to use the console. */
export type TotpRequirement = 'admin' | 'all' | 'none';

/** Whether an account of `role` must use a second factor under `requirement`. */
export const totpRequiredFor = (requirement: TotpRequirement, role: Role): boolean =>
  requirement === 'all' || (requirement === 'admin' && role === 'admin');
