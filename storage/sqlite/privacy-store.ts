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
import type { SqliteDatabase } from './database.ts';

/** The citizen's turns, escalations and the FAQ drafts made from those escalations. */
const TURNS = 'FROM conversation_turns WHERE channel = @channel AND user_id = @userId';
const EXAMPLES = `FROM labelled_examples WHERE source_key IN (SELECT 'clarify:' || id ${TURNS})`;
const ESCALATIONS = 'FROM escalations WHERE channel = @channel AND user_id = @userId';
const FAQ_DRAFTS = `FROM faqs WHERE status = 'draft' AND source_escalation_id IN (SELECT id ${ESCALATIONS})`;
const INBOX = "FROM inbox WHERE channel = @channel AND user_id = @userId AND status <> 'pending'";
const OUTBOX = "FROM outbox WHERE channel = @channel AND user_id = @userId AND status IN ('sent', 'failed', 'unknown')";
const WEBCHAT = "FROM webchat_messages WHERE @channel = 'webchat' AND session_id = @userId";

/** Erases the texts and the channel id of a turn; intent, outcome, confidence, feedback and time stay (reports). */
const ANONYMISE_TURN = `SET user_id = '${ERASED_USER_ID}', user_text = NULL, reply_text = NULL, menu = NULL, delivery_error = NULL`;
/** Erases an escalation's words and whom it came from; status, channel, times and who answered stay. */
const ANONYMISE_ESCALATION = `SET user_id = '${ERASED_USER_ID}',
      recipient = json_object('channel', channel, 'userId', '${ERASED_USER_ID}', 'address', json_object()),
      user_name = NULL, question = @erased, context = '[]', source_key = NULL, delivery_error = NULL,
      answer_text = CASE WHEN answer_text IS NULL THEN NULL ELSE @erased END`;

/**
 * The privacy store over the SQLite tables of the other stores (opened after them). Each
 * operation is one transaction: a citizen is never half forgotten.
 */
export class SqlitePrivacyStore implements PrivacyStore {
  private readonly counts;
  private readonly forgetAll;
  private readonly pruneAll;

  constructor(db: SqliteDatabase) {
    const count = (from: string) => db.prepare(`SELECT count(*) AS n ${from}`).pluck();
    const q = {
      turns: count(TURNS),
      feedback: count(`${TURNS} AND feedback IS NOT NULL`),
      inbox: count(INBOX),
      outbox: count(OUTBOX),
      escalations: count(ESCALATIONS),
      webchatMessages: count(WEBCHAT),
      examples: count(EXAMPLES),
      faqDrafts: count(FAQ_DRAFTS),
    };
    this.counts = (c: CitizenRef): CitizenDataCounts => {
      const p = { channel: c.channel, userId: c.userId };
      return Object.fromEntries(Object.entries(q).map(([k, s]) => [k, s.get(p) as number])) as unknown as CitizenDataCounts;
    };

    // An answer on its way (delivery pending) is left to arrive; everything else still open is closed.
    // Order matters: examples and FAQ drafts are found through the rows anonymised after them.
    const deleteExamples = db.prepare(`DELETE ${EXAMPLES}`);
    const flagFaqs = db.prepare(
      `UPDATE faqs SET status = 'needs_review', review_reason = '${ERASED_REASON}', updated_at = @now, updated_by = 'system', version = version + 1
       WHERE id IN (SELECT id ${FAQ_DRAFTS}) RETURNING id`,
    ).pluck();
    const closeOpen = db.prepare(
      `UPDATE escalations SET status = 'closed', closed_reason = '${ERASED_REASON}', updated_at = @now
       WHERE channel = @channel AND user_id = @userId AND status IN ('open', 'claimed') AND delivery_status <> 'pending'`,
    );
    const anonymiseEscalations = db.prepare(`UPDATE escalations ${ANONYMISE_ESCALATION}, updated_at = @now WHERE channel = @channel AND user_id = @userId`);
    const anonymiseTurns = db.prepare(`UPDATE conversation_turns ${ANONYMISE_TURN} WHERE channel = @channel AND user_id = @userId`);
    const deleteInbox = db.prepare(`DELETE ${INBOX}`);
    const deleteOutbox = db.prepare(`DELETE ${OUTBOX}`);
    const deleteWebchat = db.prepare("DELETE FROM webchat_sessions WHERE @channel = 'webchat' AND id = @userId");
    this.forgetAll = db.transaction((c: CitizenRef, now: string): ForgetResult => {
      const counts = this.counts(c);
      const p = { channel: c.channel, userId: c.userId };
      deleteExamples.run(p);
      const flaggedFaqIds = (flagFaqs.all({ ...p, now }) as number[]).map(String);
      closeOpen.run({ ...p, now });
      anonymiseEscalations.run({ ...p, now, erased: ERASED_TEXT });
      anonymiseTurns.run(p);
      deleteInbox.run(p);
      deleteOutbox.run(p);
      deleteWebchat.run(p); // its messages go with it (ON DELETE CASCADE)
      return { ...counts, flaggedFaqIds };
    });

    // Each statement erases at most @batch rows, found through the table's key.
    const pruneExamples = db.prepare('DELETE FROM labelled_examples WHERE id IN (SELECT id FROM labelled_examples WHERE created_at < @before LIMIT @batch)');
    const pruneTurns = db.prepare(
      `UPDATE conversation_turns ${ANONYMISE_TURN} WHERE seq IN (
         SELECT seq FROM conversation_turns
         WHERE created_at < @before AND (user_id <> '${ERASED_USER_ID}' OR user_text IS NOT NULL OR reply_text IS NOT NULL) LIMIT @batch)`,
    );
    // Open work keeps what the officer needs to answer; it is anonymised once finished and old.
    const pruneEscalations = db.prepare(
      `UPDATE escalations ${ANONYMISE_ESCALATION} WHERE id IN (
         SELECT id FROM escalations
         WHERE created_at < @before AND status IN ('answered', 'closed') AND delivery_status <> 'pending' AND user_id <> '${ERASED_USER_ID}' LIMIT @batch)`,
    );
    const pruneWebchatMessages = db.prepare(
      'DELETE FROM webchat_messages WHERE (session_id, seq) IN (SELECT session_id, seq FROM webchat_messages WHERE created_at < @before LIMIT @batch)',
    );
    const pruneWebchatSessions = db.prepare('DELETE FROM webchat_sessions WHERE id IN (SELECT id FROM webchat_sessions WHERE last_active_at < @before LIMIT @batch)');
    const pruneInbox = db.prepare("DELETE FROM inbox WHERE id IN (SELECT id FROM inbox WHERE status <> 'pending' AND processed_at < @before LIMIT @batch)");
    const pruneOutbox = db.prepare(
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status IN ('sent', 'failed', 'unknown') AND updated_at < @before LIMIT @batch)",
    );
    this.pruneAll = db.transaction((before: string, batch: number): RetentionResult => {
      const p = { before, batch };
      const examples = pruneExamples.run(p).changes;
      const turns = pruneTurns.run(p).changes;
      const escalations = pruneEscalations.run({ ...p, erased: ERASED_TEXT }).changes;
      const webchatMessages = pruneWebchatMessages.run(p).changes;
      pruneWebchatSessions.run(p);
      return { turns, escalations, webchatMessages, examples, inbox: pruneInbox.run(p).changes, outbox: pruneOutbox.run(p).changes };
    });
  }

  async preview(citizen: CitizenRef): Promise<CitizenDataCounts> {
    return this.counts(citizen);
  }

  async forget(citizen: CitizenRef, now: Date): Promise<ForgetResult> {
    return this.forgetAll(citizen, now.toISOString());
  }

  async prune(before: Date, batch = PRUNE_BATCH): Promise<RetentionResult> {
    return this.pruneAll(before.toISOString(), batch);
  }
}
