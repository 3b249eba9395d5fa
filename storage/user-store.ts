/**
 * Staff accounts.
 * Declared by the console, which owns this port (admin/ports.ts);
 * re-exported here for storage's implementations.
 */
export { normalizeEmail, DuplicateEmailError } from '../admin/ports.ts';
export type { StaffCredentials, NewStaffUser, StaffUserPatch, LoginFailureOutcome, UserStore } from '../admin/ports.ts';
