/**
 * Leases on durable work.
 * Declared by the conversation core, which owns this port (bots/core/ports.ts);
 * re-exported here for storage's implementations.
 */
export type { Lease } from '../bots/core/ports.ts';
