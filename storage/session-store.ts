/**
 * Console sessions (hashed ids).
 * Declared by the console, which owns this port (admin/ports.ts);
 * re-exported here for storage's implementations.
 */
export type { StaffSession, SessionStore } from '../admin/ports.ts';
