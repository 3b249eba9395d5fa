import type { Logger } from 'pino';
import type { AuditLog } from '../types.ts';
import type { AuditStore } from '../ports.ts';
import type { AuditEntryInput } from '../../domain/audit.ts';

/**
 * The `AuditLog` every console module records into. Entries are also logged, so an
 * operator sees them in the server log too. A failed write throws: an action that cannot
 * be audited is reported as failed rather than silently unaudited.
 */
export function createAuditLog(store: AuditStore, logger: Logger, clock: () => Date = () => new Date()): AuditLog {
  return {
    async record(entry: AuditEntryInput): Promise<void> {
      const stored = await store.append(entry, clock());
      logger.info({ audit: { id: stored.id, actor: entry.actor, action: entry.action, target: entry.target } }, 'audit');
    },
  };
}
