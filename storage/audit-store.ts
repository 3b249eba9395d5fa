/**
 * The append-only audit trail.
 * Declared by the console, which owns this port (admin/ports.ts);
 * re-exported here for storage's implementations.
 */
export type { AuditEntry, AuditFilter, AuditStore } from '../admin/ports.ts';
