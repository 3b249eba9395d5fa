import type { AuditEntryInput } from '../domain/audit.ts';

/** One stored audit entry. */
export interface AuditEntry extends AuditEntryInput {
  id: number;
  at: string;
}

export interface AuditFilter {
  /** Exact staff email (or 'system', 'cli'). */
  actor?: string;
  /** Exact action ('escalation.reply') or a prefix of dotted segments ('escalation'). */
  action?: string;
  /** Exact target ('escalation:<id>'). */
  target?: string;
  /** Default 50, at most 500. */
  limit?: number;
  offset?: number;
}

/**
 * The audit trail. Append-only on purpose: there is no method to change or delete an
 * entry (and the SQLite table refuses UPDATE and DELETE).
 */
export interface AuditStore {
  append(entry: AuditEntryInput, now: Date): Promise<AuditEntry>;
  /** Newest first, with the total that matches the filter. */
  list(filter?: AuditFilter): Promise<{ items: AuditEntry[]; total: number }>;
}
