/**
 * The outbox: outgoing messages, kept until the channel accepted them.
 * Declared by the conversation core, which owns this port (bots/core/ports.ts);
 * re-exported here for storage's implementations.
 */
export { DEAD_LETTER_STATUSES } from '../bots/core/ports.ts';
export type { OutboxStatus, OutboxItem, ClaimedOutboxItem, NewOutboxItem, OutboxStore } from '../bots/core/ports.ts';
