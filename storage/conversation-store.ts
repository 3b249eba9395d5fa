/**
 * Conversation turns: history, feedback, menus, reports.
 * Declared by the conversation core, which owns this port (bots/core/ports.ts);
 * re-exported here for storage's implementations.
 */
export { TURN_INTENTS, FEEDBACK_REASONS } from '../bots/core/ports.ts';
export type { TurnIntent, FeedbackValue, FeedbackReason, TurnMenu, ConversationTurn, NewConversationTurn, ConversationStore } from '../bots/core/ports.ts';
export type { ConsultOption } from '../bots/core/ports.ts';
