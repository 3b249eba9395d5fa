/**
 * The knowledge change feed (knowledge/ports.ts): PostgreSQL LISTEN/NOTIFY when the store is
 * PostgreSQL, so every instance hears a change at once; in-process otherwise (SQLite serves
 * one instance; `loa ingest` from another process is seen by the revision poll).
 */
import type { KnowledgeChangeFeed } from '../knowledge/ports.ts';
import { isPostgresUrl } from './postgres/database.ts';
import { openPostgresKnowledgeFeed } from './postgres/knowledge-feed.ts';

/** Announcements reach this process's subscribers only. */
export class LocalKnowledgeFeed implements KnowledgeChangeFeed {
  readonly crossInstance: boolean = false;
  private readonly listeners = new Set<(revision: number) => void>();

  async announce(revision: number): Promise<void> {
    this.deliver(revision);
  }

  /** Calls every subscriber (used by the PostgreSQL feed for notifications it receives). */
  deliver(revision: number): void {
    for (const l of [...this.listeners]) l(revision);
  }

  subscribe(listener: (revision: number) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

/** The feed for the configured store. */
export async function openKnowledgeFeed(
  config: { DATABASE_URL?: string },
  opts: { onError?: (err: unknown) => void } = {},
): Promise<KnowledgeChangeFeed> {
  if (isPostgresUrl(config.DATABASE_URL)) return openPostgresKnowledgeFeed(config.DATABASE_URL, opts);
  return new LocalKnowledgeFeed();
}
