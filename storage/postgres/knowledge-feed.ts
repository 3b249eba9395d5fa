/**
 * Knowledge change notifications over PostgreSQL LISTEN/NOTIFY. One dedicated connection
 * listens (a pooled one would be handed to other queries); the channel is per schema, so two
 * deployments sharing a database never wake each other. A dropped connection is reopened
 * with backoff and subscribers are called once on reconnect, since a change may have been
 * missed meanwhile (they compare revisions, so an extra call costs one query).
 */
import pg from 'pg';
import type { KnowledgeChangeFeed } from '../../knowledge/ports.ts';

const MAX_BACKOFF_MS = 30_000;

class PostgresKnowledgeFeed implements KnowledgeChangeFeed {
  readonly crossInstance = true;
  private readonly listeners = new Set<(revision: number) => void>();
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private backoff = 500;
  /** Set once the first connection knows its schema. */
  channel = '';

  constructor(
    private readonly url: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'loa-knowledge-feed', keepAlive: true });
    client.on('error', (err) => {
      this.onError(err);
      this.reconnectLater(client);
    });
    client.on('end', () => this.reconnectLater(client));
    client.on('notification', (n) => {
      if (n.channel !== this.channel) return;
      const revision = Number(n.payload);
      for (const l of [...this.listeners]) l(Number.isFinite(revision) ? revision : -1);
    });
    await client.connect();
    const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    this.channel = `loa_knowledge:${rows[0]?.schema ?? 'public'}`.slice(0, 63);
    await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.backoff = 500;
  }

  private reconnectLater(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    this.scheduleConnect();
  }

  private scheduleConnect(): void {
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.connect()
        .then(() => {
          for (const l of [...this.listeners]) l(-1);
        })
        .catch((err: unknown) => {
          this.onError(err);
          this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
          this.scheduleConnect();
        });
    }, this.backoff);
    this.retry.unref();
  }

  async announce(revision: number): Promise<void> {
    // Through the listening connection when it is up; a short-lived one otherwise.
    if (this.client) {
      await this.client.query('SELECT pg_notify($1, $2)', [this.channel, String(revision)]);
      return;
    }
    const once = new pg.Client({ connectionString: this.url, application_name: 'loa-knowledge-feed' });
    await once.connect();
    try {
      await once.query('SELECT pg_notify($1, $2)', [this.channel, String(revision)]);
    } finally {
      await once.end();
    }
  }

  subscribe(listener: (revision: number) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.listeners.clear();
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }
}

/** Opens the listening connection to `url` (the schema comes from its search_path option). */
export async function openPostgresKnowledgeFeed(url: string, opts: { onError?: (err: unknown) => void } = {}): Promise<KnowledgeChangeFeed> {
  const feed = new PostgresKnowledgeFeed(url, opts.onError ?? (() => undefined));
  await feed.connect();
  return feed;
}
