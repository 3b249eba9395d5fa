import type { ConsultOption, TurnMenu } from '../bots/core/ports.ts';
import type { ConsultationChatState } from './ports.ts';
import type { ChannelName, Recipient } from '../domain/channel.ts';
import type { Citation } from '../domain/citation.ts';
import { articleKeyOf, clausesOf, outline, unitByKey } from './draft.ts';
import { draftCitation, searchDraft } from './draft-search.ts';
import { ConsultationError, type ConsultationService } from './service.ts';
import { isOpen, vnDate } from './status.ts';
import { STANCE_LABELS, type Consultation, type DraftUnit, type DraftVersion, type Stance } from './types.ts';

/**
 * Commenting on a draft in a chat, the same on every channel: "góp ý dự thảo" lists the open
 * consultations; the outline and one article at a time follow, each with buttons (numbered
 * lines on Zalo); a stance, then the comment; "góp ý Điều 5 …" is read directly. The citizen's
 * place is kept in the consultation store, so a restart or another instance continues it.
 */

/** What the core records and sends for one step. */
export interface ChatReply {
  text: string;
  menu?: TurnMenu;
  citations?: Citation[];
}

/** Who is writing, and how to reach them again (the synthesis notice). */
export interface ChatCitizen {
  channel: ChannelName;
  userId: string;
  recipient: Recipient;
  /** The channel's id of this message (Zalo replies to it within 48 h). */
  messageId: string;
}

/** A chat step older than this no longer catches the citizen's next message. */
const STATE_TTL_MS = 60 * 60_000;
const OUTLINE_PAGE = 7;
const MAX_ARTICLE_CHARS = 1500;

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const START = /^(?:gop y|lay y kien|y kien)(?: (?:ve|cho))?(?: (?:du thao|van ban du thao|chinh sach))?$|^du thao$/;
const DIRECT = /^gop y (?:du thao )?dieu (\d{1,3})(?:[ ,.]+khoan (\d{1,2}))?(?:[ :.,-]+|$)/;
const READ = /^(?:xem |doc )?dieu (\d{1,3})(?:[ ,.]+khoan (\d{1,2}))?$/;
const STANCE_WORDS: [RegExp, Stance][] = [
  [/^(?:khong dong y|phan doi)\b/, 'disagree'],
  [/^(?:dong y|ung ho|tan thanh)\b/, 'agree'],
  [/^(?:y kien khac|khac)\b/, 'other'],
];
const MINE = /^(?:gop y cua toi|xem gop y|sua gop y|rut gop y)$/;
const QUIT = /^(?:thoat|huy|dung|ket thuc)(?: gop y)?$/;
const QUESTION = /\?\s*$|^(?:tai sao|vi sao|the nao|nhu the nao|bao nhieu|co phai|du thao (?:quy dinh|noi)|dieu \d+ (?:quy dinh|noi))/;

function stanceOf(foldedText: string): { stance: Stance; rest: number } | undefined {
  for (const [re, stance] of STANCE_WORDS) {
    const m = re.exec(foldedText);
    if (m) return { stance, rest: m[0].length };
  }
  return undefined;
}

/** The original text after the first `foldedPrefixLength` characters of its folded form (same length: NFD marks removed per letter). */
function restOf(text: string, foldedPrefix: string): string {
  // Folding keeps one character per letter, so cutting by word count is safe: count words of the prefix.
  const words = foldedPrefix.trim().split(' ').filter(Boolean).length;
  return text.trim().split(/\s+/u).slice(words).join(' ').replace(/^[\s:.,-]+/u, '').trim();
}

const opt = (label: string, action: ConsultOption['action']): ConsultOption => ({ label, action });
const consultMenu = (options: ConsultOption[]): TurnMenu | undefined => (options.length ? { type: 'consult', options: options.slice(0, 9) } : undefined);

function truncate(text: string): string {
  return text.length > MAX_ARTICLE_CHARS ? `${text.slice(0, MAX_ARTICLE_CHARS - 1).trimEnd()}…` : text;
}

export class ConsultationChat {
  constructor(
    private readonly service: ConsultationService,
    private readonly clock: () => Date,
  ) {}

  /**
   * A typed message: a consultation step when it starts one, continues the citizen's current
   * one, or names an article; undefined when it is an ordinary question for retrieval.
   */
  async typed(who: ChatCitizen, text: string): Promise<ChatReply | undefined> {
    const f = fold(text);
    if (START.test(f)) return this.listOpen(who);
    const state = await this.activeState(who);
    const direct = DIRECT.exec(f);
    if (direct) return this.direct(who, state, text, f, direct);
    if (!state) return undefined;
    const c = await this.service.store.get(state.consultationId);
    if (!c) return undefined;
    if (QUIT.test(f)) {
      await this.service.store.clearChatState(who.channel, who.userId);
      return { text: 'Đã thoát khỏi góp ý dự thảo. Bạn có thể hỏi tiếp như bình thường; nhắn "góp ý dự thảo" để quay lại.' };
    }
    if (MINE.test(f)) return this.mine(who, c);
    const read = READ.exec(f);
    if (read) return this.read(who, c, read[2] ? `${read[1]}.${read[2]}` : read[1]);
    if (state.step === 'stance') {
      const s = stanceOf(f);
      if (s) {
        const rest = restOf(text, f.slice(0, s.rest));
        if (rest.length >= 3 && state.unitKey) return this.record(who, c, state.unitKey, s.stance, rest, state.commentId);
        return this.askText(who, c, state.unitKey!, s.stance, state.commentId);
      }
    }
    if (state.step === 'text' && state.unitKey && state.stance) return this.record(who, c, state.unitKey, state.stance, text.trim(), state.commentId);
    if (QUESTION.test(f)) return this.answerFromDraft(c, text);
    return undefined;
  }

  /** A button of a consultation step (or its typed number). */
  async pressed(who: ChatCitizen, option: ConsultOption): Promise<ChatReply> {
    const a = option.action;
    switch (a.do) {
      case 'open': {
        const c = await this.service.store.get(a.consultationId);
        return c ? this.outlineReply(who, c, 0, true) : this.gone();
      }
      case 'outline': {
        const c = await this.service.store.get(a.consultationId);
        return c ? this.outlineReply(who, c, a.page, false) : this.gone();
      }
      case 'read': {
        const c = await this.service.store.get(a.consultationId);
        return c ? this.read(who, c, a.unitKey) : this.gone();
      }
      case 'comment': {
        const c = await this.service.store.get(a.consultationId);
        return c ? this.askStance(who, c, a.unitKey) : this.gone();
      }
      case 'stance': {
        const c = await this.service.store.get(a.consultationId);
        return c ? this.askText(who, c, a.unitKey, a.stance, a.commentId) : this.gone();
      }
      case 'mine': {
        const c = await this.service.store.get(a.consultationId);
        return c ? this.mine(who, c) : this.gone();
      }
      case 'edit': {
        const x = await this.service.store.getComment(a.commentId);
        const c = x && (await this.service.store.get(x.consultationId));
        if (!x || !c || x.channel !== who.channel || x.citizenId !== who.userId) return this.gone();
        if (!isOpen(c, this.clock())) return { text: 'Đợt lấy ý kiến đã kết thúc; góp ý không thể sửa nữa.' };
        return this.askStance(who, c, x.currentUnitKey ?? x.unitKey, x.id);
      }
      case 'withdraw': {
        try {
          await this.service.withdraw(a.commentId, { channel: who.channel, citizenId: who.userId });
          return { text: 'Đã rút góp ý của bạn. Nhắn "góp ý dự thảo" nếu muốn góp ý lại.' };
        } catch (err) {
          if (err instanceof ConsultationError) return { text: err.message };
          throw err;
        }
      }
    }
  }

  private gone(): ChatReply {
    return { text: 'Lựa chọn này không còn dùng được. Nhắn "góp ý dự thảo" để xem các dự thảo đang lấy ý kiến.' };
  }

  private async activeState(who: ChatCitizen): Promise<ConsultationChatState | undefined> {
    const s = await this.service.store.getChatState(who.channel, who.userId);
    if (!s || this.clock().getTime() - Date.parse(s.updatedAt) > STATE_TTL_MS) return undefined;
    return s;
  }

  private async setState(who: ChatCitizen, s: Omit<ConsultationChatState, 'channel' | 'userId' | 'updatedAt'>): Promise<void> {
    await this.service.store.setChatState({ ...s, channel: who.channel, userId: who.userId, updatedAt: this.clock().toISOString() });
  }

  private async listOpen(who: ChatCitizen): Promise<ChatReply> {
    const open = await this.service.openNow();
    if (open.length === 0) return { text: 'Hiện không có dự thảo nào đang lấy ý kiến. Cảm ơn bạn đã quan tâm.' };
    if (open.length === 1) return this.outlineReply(who, open[0], 0, true);
    const lines = open.slice(0, 9).map((c, i) => `${i + 1}. ${c.title} (đến ${vnDate(c.closesAt)})`);
    return { text: `Các dự thảo đang lấy ý kiến:\n${lines.join('\n')}\nChọn một dự thảo để xem và góp ý.`, menu: consultMenu(open.slice(0, 9).map((c) => opt(c.title, { do: 'open', consultationId: c.id }))) };
  }

  private async outlineReply(who: ChatCitizen, c: Consultation, page: number, intro: boolean): Promise<ChatReply> {
    const draft = await this.service.current(c);
    await this.setState(who, { consultationId: c.id, step: 'browse' });
    const arts = outline(draft.units);
    const shown = arts.slice(page * OUTLINE_PAGE, (page + 1) * OUTLINE_PAGE);
    const head = intro
      ? [`${c.title}`, `Lấy ý kiến đến hết ngày ${vnDate(c.closesAt)}.${c.scope ? ` Đối tượng: ${c.scope}` : ''}`, ...(c.questions.length ? [`Cơ quan mong nhận ý kiến về: ${c.questions.join('; ')}`] : []), '']
      : [];
    const list = shown.map((u) => `• ${u.label}${u.heading ? `. ${u.heading}` : ''}`);
    const options = shown.map((u) => opt(`${u.label}${u.heading ? `. ${u.heading}` : ''}`, { do: 'read', consultationId: c.id, unitKey: u.key }));
    if ((page + 1) * OUTLINE_PAGE < arts.length) options.push(opt('Các điều tiếp theo', { do: 'outline', consultationId: c.id, page: page + 1 }));
    else if (page > 0) options.push(opt('Về đầu mục lục', { do: 'outline', consultationId: c.id, page: 0 }));
    return {
      text: [...head, 'Mục lục dự thảo:', ...list, '', 'Chọn một điều để đọc, hoặc nhắn thẳng "góp ý Điều 5 <nội dung>".'].join('\n'),
      menu: consultMenu(options),
    };
  }

  private async read(who: ChatCitizen, c: Consultation, key: string): Promise<ChatReply> {
    const draft = await this.service.current(c);
    const unit = unitByKey(draft.units, key);
    if (!unit) {
      const o = await this.outlineReply(who, c, 0, false);
      return { ...o, text: `Dự thảo không có ${key.includes('.') ? `Điều ${key.replace('.', ', Khoản ')}` : `Điều ${key}`}.\n${o.text}` };
    }
    await this.setState(who, { consultationId: c.id, unitKey: unit.key, step: 'browse' });
    const open = isOpen(c, this.clock());
    const options: ConsultOption[] = [];
    if (open) options.push(opt(`Góp ý ${unit.label}`, { do: 'comment', consultationId: c.id, unitKey: unit.key }));
    if (open) for (const k of clausesOf(draft.units, unit.key).slice(0, 4)) options.push(opt(`Góp ý Khoản ${k.clauseNo}`, { do: 'comment', consultationId: c.id, unitKey: k.key }));
    const next = nextArticle(draft, unit);
    if (next) options.push(opt(`Đọc ${next.label}`, { do: 'read', consultationId: c.id, unitKey: next.key }));
    options.push(opt('Mục lục', { do: 'outline', consultationId: c.id, page: 0 }));
    return { text: `${unit.label}${unit.heading ? `. ${unit.heading}` : ''} (dự thảo)\n${truncate(unit.text)}`, menu: consultMenu(options) };
  }

  private async askStance(who: ChatCitizen, c: Consultation, unitKey: string, commentId?: string): Promise<ChatReply> {
    if (!isOpen(c, this.clock())) return { text: `Đợt lấy ý kiến "${c.title}" không còn nhận góp ý.` };
    const draft = await this.service.current(c);
    const unit = unitByKey(draft.units, unitKey);
    if (!unit) return { text: 'Dự thảo không có điều, khoản này.' };
    await this.setState(who, { consultationId: c.id, unitKey, step: 'stance', commentId });
    const stances: Stance[] = ['agree', 'disagree', 'other'];
    return {
      text: `Bạn có ý kiến thế nào về ${unit.label}?`,
      menu: consultMenu(stances.map((s) => opt(STANCE_LABELS[s], { do: 'stance', consultationId: c.id, unitKey, stance: s, commentId }))),
    };
  }

  private async askText(who: ChatCitizen, c: Consultation, unitKey: string, stance: Stance, commentId?: string): Promise<ChatReply> {
    await this.setState(who, { consultationId: c.id, unitKey, step: 'text', stance, commentId });
    const draft = await this.service.current(c);
    const label = unitByKey(draft.units, unitKey)?.label ?? `Điều ${unitKey}`;
    return { text: `${STANCE_LABELS[stance]} với ${label}. Mời bạn nhắn nội dung góp ý (lý do, đề xuất sửa đổi) trong một tin nhắn.` };
  }

  private async direct(who: ChatCitizen, state: ConsultationChatState | undefined, text: string, f: string, m: RegExpExecArray): Promise<ChatReply> {
    const key = m[2] ? `${m[1]}.${m[2]}` : m[1];
    const open = await this.service.openNow();
    const c = (state && open.find((x) => x.id === state.consultationId)) ?? (open.length === 1 ? open[0] : undefined);
    if (!c) {
      const list = await this.listOpen(who);
      return open.length ? { ...list, text: `Bạn muốn góp ý Điều ${m[1]} của dự thảo nào?\n${list.text}` } : list;
    }
    const rest = restOf(text, m[0]);
    if (!rest) return this.read(who, c, key);
    const s = stanceOf(fold(rest));
    const body = s ? restOf(rest, fold(rest).slice(0, s.rest)) : rest;
    if (body.length < 3) return this.askText(who, c, key, s?.stance ?? 'other');
    return this.record(who, c, key, s?.stance ?? 'other', body);
  }

  private async record(who: ChatCitizen, c: Consultation, unitKey: string, stance: Stance, text: string, commentId?: string): Promise<ChatReply> {
    if (text.length < 3) return { text: 'Nội dung góp ý quá ngắn. Mời bạn nhắn lại.' };
    if (text.length > 5000) return { text: 'Nội dung góp ý dài quá 5.000 ký tự. Mời bạn rút gọn và nhắn lại.' };
    let saved;
    try {
      saved = commentId
        ? { comment: await this.service.edit(commentId, { channel: who.channel, citizenId: who.userId }, { stance, text }), created: false }
        : await this.service.comment({ consultationId: c.id, unitKey, channel: who.channel, citizenId: who.userId, stance, text, recipient: who.recipient, lastMessageId: who.messageId });
    } catch (err) {
      if (err instanceof ConsultationError) return { text: err.message };
      throw err;
    }
    await this.setState(who, { consultationId: c.id, unitKey, step: 'browse' });
    const draft = await this.service.current(c);
    const label = unitByKey(draft.units, saved.comment.currentUnitKey ?? unitKey)?.label ?? `Điều ${unitKey}`;
    const next = nextArticle(draft, unitByKey(draft.units, articleKeyOf(unitKey)));
    const options: ConsultOption[] = [
      opt('Sửa góp ý', { do: 'edit', commentId: saved.comment.id }),
      opt('Rút góp ý', { do: 'withdraw', commentId: saved.comment.id }),
      ...(next ? [opt(`Đọc ${next.label}`, { do: 'read', consultationId: c.id, unitKey: next.key })] : []),
      opt('Mục lục', { do: 'outline', consultationId: c.id, page: 0 }),
    ];
    const verb = saved.created ? 'Đã ghi nhận' : 'Đã cập nhật';
    return {
      text: `${verb} góp ý của bạn về ${label} (${STANCE_LABELS[saved.comment.stance]}): “${saved.comment.text}”.\nBạn có thể sửa hoặc rút góp ý trước ngày ${vnDate(c.closesAt)}. Khi cơ quan công bố bản tổng hợp, tiếp thu, giải trình, bạn sẽ được báo tại đây.`,
      menu: consultMenu(options),
    };
  }

  private async mine(who: ChatCitizen, c: Consultation): Promise<ChatReply> {
    const mine = (await this.service.store.commentsOf(c.id, { channel: who.channel, citizenId: who.userId })).filter((x) => !x.withdrawn && !x.hidden);
    if (!mine.length) return { text: `Bạn chưa có góp ý nào về "${c.title}".` };
    const open = isOpen(c, this.clock());
    const lines = mine.slice(0, 4).map((x, i) => `${i + 1}. Điều ${(x.currentUnitKey ?? x.unitKey).replace('.', ', Khoản ')} (${STANCE_LABELS[x.stance]}): ${x.text.slice(0, 200)}`);
    const options = open ? mine.slice(0, 4).flatMap((x) => [opt(`Sửa góp ý Điều ${(x.currentUnitKey ?? x.unitKey).split('.')[0]}`, { do: 'edit', commentId: x.id }), opt(`Rút góp ý Điều ${(x.currentUnitKey ?? x.unitKey).split('.')[0]}`, { do: 'withdraw', commentId: x.id })]) : [];
    return { text: `Góp ý của bạn về "${c.title}":\n${lines.join('\n')}`, menu: consultMenu(options) };
  }

  private async answerFromDraft(c: Consultation, question: string): Promise<ChatReply | undefined> {
    const draft = await this.service.current(c);
    const hit = searchDraft(draft, question);
    if (!hit) return undefined;
    return {
      text: `Theo dự thảo (chưa có hiệu lực, đang lấy ý kiến), ${hit.unit.label}${hit.unit.heading ? ` (${hit.unit.heading})` : ''}:\n${truncate(hit.unit.text)}`,
      citations: [draftCitation(c.id, draft, hit)],
      menu: isOpen(c, this.clock()) ? consultMenu([opt(`Góp ý ${hit.unit.label}`, { do: 'comment', consultationId: c.id, unitKey: hit.unit.key })]) : undefined,
    };
  }
}

function nextArticle(draft: DraftVersion, unit: DraftUnit | undefined): DraftUnit | undefined {
  if (!unit) return undefined;
  const arts = outline(draft.units);
  const at = arts.findIndex((u) => u.key === articleKeyOf(unit.key));
  return at >= 0 ? arts[at + 1] : undefined;
}
