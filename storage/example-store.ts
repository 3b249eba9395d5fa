/**
 * Labelled examples: clarify choices.
 * Declared by the conversation core, which owns this port (bots/core/ports.ts);
 * re-exported here for storage's implementations.
 */
export type { LabelledExample, NewLabelledExample, LabelledExampleStore } from '../bots/core/ports.ts';
