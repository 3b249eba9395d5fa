/**
 * Web chat sessions and transcripts: the port is declared by the web chat adapter
 * (bots/webchat/ports.ts); this module is its home on the storage side.
 */
export { UnknownWebchatSessionError } from '../bots/webchat/ports.ts';
export type { NewWebchatMessage, WebchatCitation, WebchatMessage, WebchatMessageKind, WebchatSession, WebchatStore } from '../bots/webchat/ports.ts';
