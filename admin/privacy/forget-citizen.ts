import { createHmac } from 'node:crypto';
import type { CitizenDataCounts, CitizenRef, ForgetResult, PrivacyStore } from '../../storage/privacy-store.ts';
import type { SecretStore } from '../../bots/core/ports.ts';
import { serverKey } from '../auth/server-keys.ts';
import type { AuditLog } from '../types.ts';

/**
 * Secret-store name of the key behind citizens' pseudonyms: the same key as the report CSV's,
 * so an erasure in the audit trail can be matched with an older export, and with nothing else.
 */
export const PSEUDONYM_KEY = 'reports.pseudonym_key';

/** A keyed pseudonym of a citizen (HMAC-SHA-256, 12 hex): not reversible without the server's key. */
export const citizenPseudonym = (key: Buffer, c: CitizenRef): string => createHmac('sha256', key).update(`${c.channel}\n${c.userId}`).digest('hex').slice(0, 12);

export interface ForgetDeps {
  privacy: PrivacyStore;
  secrets: SecretStore;
  audit: AuditLog;
}

/** What the console and the CLI show before erasing. */
export interface CitizenPreview {
  pseudonym: string;
  counts: CitizenDataCounts;
  total: number;
}

const total = (c: CitizenDataCounts) => c.turns + c.inbox + c.outbox + c.escalations + c.webchatMessages + c.examples;

/** Counts a citizen's data and names them by pseudonym. */
export async function previewCitizen(deps: Pick<ForgetDeps, 'privacy' | 'secrets'>, citizen: CitizenRef): Promise<CitizenPreview> {
  const key = await serverKey(deps.secrets, PSEUDONYM_KEY);
  const counts = await deps.privacy.preview(citizen);
  return { pseudonym: citizenPseudonym(key, citizen), counts, total: total(counts) };
}

/**
 * Erases a citizen's data on request (Decree 13/2023/NĐ-CP) and records it in the audit trail
 * by pseudonym and counts only: the entry keeps no channel id and no words of the citizen.
 */
export async function forgetCitizen(deps: ForgetDeps, citizen: CitizenRef, actor: string, now: Date): Promise<ForgetResult & { pseudonym: string }> {
  const key = await serverKey(deps.secrets, PSEUDONYM_KEY);
  const pseudonym = citizenPseudonym(key, citizen);
  const result = await deps.privacy.forget(citizen, now);
  await deps.audit.record({
    actor,
    action: 'citizen.forget',
    target: `citizen:${pseudonym}`,
    details: { channel: citizen.channel, ...result },
  });
  return { ...result, pseudonym };
}
