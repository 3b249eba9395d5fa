import {
  ERASED_REASON,
  ERASED_TEXT,
  ERASED_USER_ID,
  PRUNE_BATCH,
  type CitizenDataCounts,
  type CitizenRef,
  type ForgetResult,
  type PrivacyStore,
  type RetentionResult,
} from '../privacy-store.ts';
import { query, withTransaction, type PgPool, type PgQueryable } from './database.ts';

// $1 channel, $2 user id throughout.
const TURNS = 'FROM conversation_turns WHERE channel = $1 AND user_id = $2';
const EXAMPLES = `FROM labelled_examples WHERE source_key IN (SELECT 'clarify:' || id ${TURNS})`;
const ESCALATIONS = 'FROM escalations WHERE channel = $1 AND user_id = $2';
const FAQ_DRAFTS = `FROM faqs WHERE status = 'draft' AND source_escalation_id IN (SELECT id ${ESCALATIONS})`;
const INBOX = "FROM inbox WHERE channel = $1 AND user_id = $2 AND status <> 'pending'";
const OUTBOX = "FROM outbox WHERE channel = $1 AND user_id = $2 AND status IN ('sent', 'failed', 'unknown')";
const WEBCHAT = "FROM webchat_messages WHERE $1 = 'webchat' AND session_id = $2";

const COUNTS = `SELECT
  (SELECT count(*) ${TURNS}) AS turns,
  (SELECT count(*) ${TURNS} AND feedback IS NOT NULL) AS feedback,
  (SELECT count(*) ${INBOX}) AS inbox,
  (SELECT count(*) ${OUTBOX}) AS outbox,
  (SELECT count(*) ${ESCALATIONS}) AS escalations,
  (SELECT count(*) ${WEBCHAT}) AS "webchatMessages",
  (SELECT count(*) ${EXAMPLES}) AS examples,
  (SELECT count(*) ${FAQ_DRAFTS}) AS "faqDrafts"`;

/** As in the SQLite store: texts and channel id erased; intent, outcome, confidence, feedback and time stay. */
const ANONYMISE_TURN = `SET user_id = '${ERASED_USER_ID}', user_text = NULL, reply_text = NULL, menu = NULL, delivery_error = NULL`;
/** `$E` is the erased-text parameter's number. */
const anonymiseEscalation = (e: number) => `SET user_id = '${ERASED_USER_ID}',
      recipient = jsonb_build_object('channel', channel, 'userId', '${ERASED_USER_ID}', 'address', '{}'::jsonb),
      user_name = NULL, question = $${e}, question_folded = '', context = '[]', source_key = NULL, delivery_error = NULL,
      answer_text = CASE WHEN answer_text IS NULL THEN NULL ELSE $${e} END`;

/** The privacy store over the PostgreSQL tables of the other stores (opened after them). */
export class PostgresPrivacyStore implements PrivacyStore {
  private constructor(private readonly pool: PgPool) {}

  /** Owns no tables: nothing to migrate. */
  static async open(pool: PgPool): Promise<PostgresPrivacyStore> {
    return new PostgresPrivacyStore(pool);
  }

  private async counts(db: PgQueryable, c: CitizenRef): Promise<CitizenDataCounts> {
    const { rows } = await query<Record<keyof CitizenDataCounts, string>>(db, COUNTS, [c.channel, c.userId]);
    const row = rows[0] as Record<keyof CitizenDataCounts, string>;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as CitizenDataCounts;
  }

  async preview(citizen: CitizenRef): Promise<CitizenDataCounts> {
    return this.counts(this.pool, citizen);
  }

  async forget(citizen: CitizenRef, now: Date): Promise<ForgetResult> {
    return withTransaction(this.pool, async (db) => {
      const p = [citizen.channel, citizen.userId];
      // The citizen's turns and escalations are locked first, so a turn written meanwhile waits and is erased too or comes after.
      await query(db, `SELECT 1 ${TURNS} FOR UPDATE`, p);
      await query(db, `SELECT 1 ${ESCALATIONS} FOR UPDATE`, p);
      const counts = await this.counts(db, citizen);
      await query(db, `DELETE ${EXAMPLES}`, p);
      const flagged = await query<{ id: string }>(
        db,
        `UPDATE faqs SET status = 'needs_review', review_reason = '${ERASED_REASON}', updated_at = $3, updated_by = 'system', version = version + 1
         WHERE id IN (SELECT id ${FAQ_DRAFTS}) RETURNING id`,
        [...p, now],
      );
      await query(
        db,
        `UPDATE escalations SET status = 'closed', closed_reason = '${ERASED_REASON}', updated_at = $3
         WHERE channel = $1 AND user_id = $2 AND status IN ('open', 'claimed') AND delivery_status <> 'pending'`,
        [...p, now],
      );
      await query(db, `UPDATE escalations ${anonymiseEscalation(4)}, updated_at = $3 WHERE channel = $1 AND user_id = $2`, [...p, now, ERASED_TEXT]);
      await query(db, `UPDATE conversation_turns ${ANONYMISE_TURN} WHERE channel = $1 AND user_id = $2`, p);
      await query(db, `DELETE ${INBOX}`, p);
      await query(db, `DELETE ${OUTBOX}`, p);
      await query(db, "DELETE FROM webchat_sessions WHERE $1 = 'webchat' AND id = $2", p);
      return { ...counts, flaggedFaqIds: flagged.rows.map((r) => String(r.id)) };
    });
  }

  async prune(before: Date, batch = PRUNE_BATCH): Promise<RetentionResult> {
    return withTransaction(this.pool, async (db) => {
      // $1 before, $2 batch: each statement erases at most $2 rows, found through the table's key.
      const n = async (sql: string, params: (Date | string | number)[] = [before, batch]) => (await query(db, sql, params)).rowCount ?? 0;
      const examples = await n('DELETE FROM labelled_examples WHERE id IN (SELECT id FROM labelled_examples WHERE created_at < $1 LIMIT $2)');
      const turns = await n(
        `UPDATE conversation_turns ${ANONYMISE_TURN} WHERE seq IN (
           SELECT seq FROM conversation_turns
           WHERE created_at < $1 AND (user_id <> '${ERASED_USER_ID}' OR user_text IS NOT NULL OR reply_text IS NOT NULL) LIMIT $2)`,
      );
      const escalations = await n(
        `UPDATE escalations ${anonymiseEscalation(3)} WHERE id IN (
           SELECT id FROM escalations
           WHERE created_at < $1 AND status IN ('answered', 'closed') AND delivery_status <> 'pending' AND user_id <> '${ERASED_USER_ID}' LIMIT $2)`,
        [before, batch, ERASED_TEXT],
      );
      const webchatMessages = await n(
        'DELETE FROM webchat_messages WHERE (session_id, seq) IN (SELECT session_id, seq FROM webchat_messages WHERE created_at < $1 LIMIT $2)',
      );
      await n('DELETE FROM webchat_sessions WHERE id IN (SELECT id FROM webchat_sessions WHERE last_active_at < $1 LIMIT $2)');
      const inbox = await n("DELETE FROM inbox WHERE id IN (SELECT id FROM inbox WHERE status <> 'pending' AND processed_at < $1 LIMIT $2)");
      const outbox = await n("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status IN ('sent', 'failed', 'unknown') AND updated_at < $1 LIMIT $2)");
      return { turns, escalations, webchatMessages, examples, inbox, outbox };
    });
  }
}
