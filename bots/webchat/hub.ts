import type { WebchatMessage } from '../../storage/webchat-store.ts';

/** Called with each new message of a session. */
export type WebchatListener = (message: WebchatMessage) => void;

/**
 * Fans new transcript messages out to the open event streams of a session. In-process by
 * default; a Redis-backed hub with the same two methods lets several instances share
 * sessions later.
 */
export interface WebchatHub {
  publish(sessionId: string, message: WebchatMessage): void;
  /** Returns the function that unsubscribes. */
  subscribe(sessionId: string, listener: WebchatListener): () => void;
}

/** A hub for one process: a map from session id to its listeners. */
export function createMemoryHub(): WebchatHub {
  const listeners = new Map<string, Set<WebchatListener>>();
  return {
    publish(sessionId, message) {
      for (const listener of listeners.get(sessionId) ?? []) listener(message);
    },
    subscribe(sessionId, listener) {
      let set = listeners.get(sessionId);
      if (!set) listeners.set(sessionId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(sessionId);
      };
    },
  };
}
