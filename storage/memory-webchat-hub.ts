import type { WebchatHub, WebchatListener } from '../bots/webchat/ports.ts';

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
