/**
 * The inbox: incoming channel events, deduplicated, kept until handled.
 * Declared by the conversation core, which owns this port (bots/core/ports.ts);
 * re-exported here for storage's implementations.
 */
export type { InboxStatus, InboxItem, InboxStore } from '../bots/core/ports.ts';
