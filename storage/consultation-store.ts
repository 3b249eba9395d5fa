/**
 * Consultations' store: the port is declared by consultations/ (consultations/ports.ts);
 * re-exported here for the implementation.
 */
export { SlugTakenError, VersionConflictError } from '../consultations/ports.ts';
export type { ConsultationChatState, CommentFilter, ConsultationStore } from '../consultations/ports.ts';
