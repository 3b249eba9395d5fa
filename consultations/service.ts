import { pushTo } from './collections.ts';
import type { ConsultationStore } from './ports.ts';
import type { OutgoingMessage, Recipient } from '../domain/channel.ts';
import { ZALO_REPLY_WINDOW_MS } from '../bots/core/delivery-policy.ts';
import { articleKeyOf, parseDraft, unitByKey } from './draft.ts';
import { computeStats, type ConsultationStats } from './stats.ts';
import { isOpen, statusOf } from './status.ts';
import { buildSynthesis, type Synthesis } from './synthesis.ts';
import { groupComments } from './themes.ts';
import { RESPONSE_LABELS, type Consultation, type ConsultationComment, type DraftVersion, type NewComment, type NewConsultation, type Theme } from './types.ts';
import { mapVersions } from './version-map.ts';

/** A refusal with a code for the API and a Vietnamese message for people. */
export class ConsultationError extends Error {
  constructor(
    readonly code: 'not_found' | 'closed' | 'no_unit' | 'not_published' | 'already_published' | 'not_yours',
    message: string,
  ) {
    super(message);
    this.name = 'ConsultationError';
  }
}

export interface ConsultationServiceDeps {
  store: ConsultationStore;
  clock: () => Date;
  /** Sends a message Loa starts to a citizen (the core's outbox); absent: nobody is notified. */
  send?: (recipient: Recipient, message: OutgoingMessage) => Promise<unknown>;
  /** LOA_PUBLIC_URL, for links in notifications. */
  publicUrl?: string;
}

export interface NotifyResult {
  sent: number;
  /** Zalo citizens whose last message is older than the free 48-hour reply window: not written to. */
  outsideWindow: number;
  /** Comments from the public page: the synthesis is on the page itself. */
  onPage: number;
}

/**
 * What consultations do, for every entry point (console API, public page, chat): create and
 * revise drafts, record comments within the period, group them, and publish the synthesis.
 */
export class ConsultationService {
  constructor(private readonly deps: ConsultationServiceDeps) {}

  get store(): ConsultationStore {
    return this.deps.store;
  }

  private now(): Date {
    return this.deps.clock();
  }

  /** Reads the draft file with Loa's parser and creates the consultation. */
  async create(input: NewConsultation, file: { name: string; bytes: Uint8Array }): Promise<Consultation> {
    const draft = await parseDraft(file.name, file.bytes);
    return this.deps.store.create(input, { title: draft.title, sourceName: file.name, units: draft.units }, this.now());
  }

  /** A revised draft: comments are carried to its units (number, heading, text), each keeping its own version. */
  async revise(id: string, expectedVersion: number, file: { name: string; bytes: Uint8Array }): Promise<DraftVersion> {
    const c = await this.require(id);
    const previous = await this.current(c);
    const draft = await parseDraft(file.name, file.bytes);
    const mapping = mapVersions(previous.units, draft.units);
    return this.deps.store.addVersion(id, expectedVersion, { title: draft.title, sourceName: file.name, units: draft.units, mapping }, this.now());
  }

  async require(id: string): Promise<Consultation> {
    const c = await this.deps.store.get(id);
    if (!c) throw new ConsultationError('not_found', 'Không tìm thấy đợt lấy ý kiến này.');
    return c;
  }

  async current(c: Consultation): Promise<DraftVersion> {
    const v = await this.deps.store.getVersion(c.id, c.currentVersion);
    if (!v) throw new ConsultationError('not_found', 'Không tìm thấy dự thảo.');
    return v;
  }

  /** Consultations citizens can comment on now. */
  async openNow(): Promise<Consultation[]> {
    const now = this.now();
    return (await this.deps.store.list()).filter((c) => isOpen(c, now));
  }

  /** Records (or changes) a citizen's comment on a unit of the current draft, while the period is open. */
  async comment(input: Omit<NewComment, 'version'>): Promise<{ comment: ConsultationComment; created: boolean; consultation: Consultation; draft: DraftVersion }> {
    const c = await this.require(input.consultationId);
    if (!isOpen(c, this.now())) throw new ConsultationError('closed', 'Đợt lấy ý kiến này không còn nhận góp ý.');
    const draft = await this.current(c);
    if (!unitByKey(draft.units, input.unitKey)) throw new ConsultationError('no_unit', 'Dự thảo không có điều, khoản này.');
    const saved = await this.deps.store.saveComment({ ...input, version: draft.version }, this.now());
    return { ...saved, consultation: c, draft };
  }

  /** Changes a citizen's own comment before the close. */
  async edit(commentId: string, owner: { channel: ConsultationComment['channel']; citizenId: string }, change: { stance: ConsultationComment['stance']; text: string }): Promise<ConsultationComment> {
    const existing = await this.deps.store.getComment(commentId);
    if (!existing) throw new ConsultationError('not_found', 'Không tìm thấy góp ý này.');
    if (!isOpen(await this.require(existing.consultationId), this.now())) throw new ConsultationError('closed', 'Đợt lấy ý kiến đã kết thúc; góp ý không thể sửa nữa.');
    const edited = await this.deps.store.editComment(commentId, owner, change, this.now());
    if (!edited) throw new ConsultationError('not_yours', 'Bạn chỉ có thể sửa góp ý của chính mình.');
    return edited;
  }

  /** Withdraws a citizen's own comment before the close. */
  async withdraw(commentId: string, owner: { channel: ConsultationComment['channel']; citizenId: string }): Promise<void> {
    const existing = await this.deps.store.getComment(commentId);
    if (!existing) throw new ConsultationError('not_found', 'Không tìm thấy góp ý này.');
    if (!isOpen(await this.require(existing.consultationId), this.now())) throw new ConsultationError('closed', 'Đợt lấy ý kiến đã kết thúc; góp ý không thể rút nữa.');
    if (!(await this.deps.store.withdrawComment(commentId, owner, this.now()))) throw new ConsultationError('not_yours', 'Bạn chỉ có thể rút góp ý của chính mình.');
  }

  async stats(id: string): Promise<ConsultationStats> {
    const c = await this.require(id);
    const all = await this.deps.store.listComments(id, { hidden: true, withdrawn: true });
    return computeStats(all, (await this.current(c)).units);
  }

  /**
   * Groups the comments not yet in a theme into new themes per article (by text similarity).
   * Themes officers already made or answered are left as they are.
   */
  async group(id: string): Promise<Theme[]> {
    await this.require(id);
    const loose = (await this.deps.store.listComments(id)).filter((c) => c.themeId === undefined && c.currentUnitKey !== undefined);
    const proposed = groupComments(loose.map((c) => ({ id: c.id, unitKey: c.currentUnitKey!, stance: c.stance, text: c.text, fingerprint: c.fingerprint })));
    return this.deps.store.createThemes(id, proposed, this.now());
  }

  async synthesis(id: string): Promise<Synthesis> {
    const c = await this.require(id);
    const [draft, comments, themes] = await Promise.all([this.current(c), this.deps.store.listComments(id), this.deps.store.listThemes(id)]);
    return buildSynthesis(c, draft, comments, themes, this.now());
  }

  /** Publishes the synthesis (after the close) and tells chat participants on their channel. */
  async publish(id: string): Promise<{ consultation: Consultation; notified: NotifyResult }> {
    const c = await this.require(id);
    const status = statusOf(c, this.now());
    if (status === 'published') throw new ConsultationError('already_published', 'Bản tổng hợp đã được công bố.');
    if (status !== 'closed') throw new ConsultationError('closed', 'Chỉ công bố bản tổng hợp sau khi kết thúc lấy ý kiến.');
    if (!(await this.deps.store.markPublished(id, this.now()))) throw new ConsultationError('already_published', 'Bản tổng hợp đã được công bố.');
    const published = await this.require(id);
    return { consultation: published, notified: await this.notifyParticipants(published) };
  }

  /**
   * One message per participant of a chat channel, with the answer to their own comment.
   * Zalo only within the free reply window (48 h after their last message, as a reply to it);
   * other chat channels through the outbox's usual retry window.
   */
  async notifyParticipants(c: Consultation): Promise<NotifyResult> {
    const result: NotifyResult = { sent: 0, outsideWindow: 0, onPage: 0 };
    const send = this.deps.send;
    const comments = await this.deps.store.listComments(c.id);
    const themes = new Map((await this.deps.store.listThemes(c.id)).map((t) => [t.id, t]));
    const byCitizen = new Map<string, ConsultationComment[]>();
    for (const x of comments) {
      if (x.notifiedAt) continue;
      const key = `${x.channel}:${x.citizenId}`;
      pushTo(byCitizen, key, x);
    }
    const now = this.now().getTime();
    for (const list of byCitizen.values()) {
      const latest = list.reduce((a, b) => ((b.lastMessageAt ?? '') > (a.lastMessageAt ?? '') ? b : a));
      if (latest.channel === 'page' || !latest.recipient) {
        result.onPage++;
        continue;
      }
      if (!send) continue;
      let replyTo: string | undefined;
      if (latest.channel === 'zalo') {
        const at = latest.lastMessageAt ? Date.parse(latest.lastMessageAt) : 0;
        if (!latest.lastMessageId || now - at > ZALO_REPLY_WINDOW_MS) {
          result.outsideWindow++;
          continue;
        }
        replyTo = latest.lastMessageId;
      }
      await send(latest.recipient, { kind: 'notice', text: this.publishedText(c, list, themes), ...(replyTo ? { replyToChannelMessageId: replyTo } : {}) });
      await this.deps.store.markNotified(list.map((x) => x.id), this.now());
      result.sent++;
    }
    return result;
  }

  private publishedText(c: Consultation, mine: readonly ConsultationComment[], themes: Map<string, Theme>): string {
    const link = this.deps.publicUrl ? ` Xem tại ${this.deps.publicUrl.replace(/\/$/, '')}/gop-y/${c.slug}` : '';
    const lines = [`Cơ quan đã công bố bản tổng hợp, tiếp thu, giải trình ý kiến về "${c.title}".${link}`];
    for (const x of mine.slice(0, 3)) {
      const t = x.themeId ? themes.get(x.themeId) : undefined;
      const unit = `Điều ${articleKeyOf(x.currentUnitKey ?? x.unitKey)}`;
      lines.push(t?.responseKind && t.responseText ? `Góp ý của bạn về ${unit}: ${RESPONSE_LABELS[t.responseKind]} — ${t.responseText}` : `Góp ý của bạn về ${unit} đã được tổng hợp.`);
    }
    return lines.join('\n');
  }
}
