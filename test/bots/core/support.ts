import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ConversationCore, type ConversationCoreOptions } from '../../../bots/core/conversation-core.ts';
import { normalizeForMatching } from '../../../bots/core/classify.ts';
import type { ChannelName, ChannelSendError, ChannelSender, IncomingMessage, OutgoingMessage, Recipient } from '../../../bots/core/types.ts';
import type { Answerer, AskOptions, AskResult, Citation } from '../../../retrieval/types.ts';
import type { BotStorage } from '../../../storage/index.ts';
import type { SqlDatabase } from '../../../storage/sql/connect.ts';
import { openSqlDatabase, sqlStores } from '../../../storage/sql/index.ts';

/**
 * A real channel for tests: it records what it was asked to send and fails on request,
 * the way an adapter reports a channel's failures.
 */
export class TestChannel implements ChannelSender {
  readonly sent: { to: Recipient; message: OutgoingMessage }[] = [];
  attempts = 0;
  private readonly failures: ChannelSendError[] = [];
  private failEvery?: ChannelSendError;
  /** Runs at the start of every attempt (e.g. to look at the database at that moment). */
  onSend?: (to: Recipient, message: OutgoingMessage) => void | Promise<void>;

  constructor(readonly channel: ChannelName = 'telegram') {}

  /** The next attempts throw these errors, in order. */
  failNext(...errors: ChannelSendError[]): void {
    this.failures.push(...errors);
  }

  /** Every attempt throws this error (undefined: stop failing). */
  failAlways(error: ChannelSendError | undefined): void {
    this.failEvery = error;
  }

  async send(to: Recipient, message: OutgoingMessage): Promise<{ channelMessageIds: string[] }> {
    this.attempts++;
    await this.onSend?.(to, message);
    const failure = this.failures.shift() ?? this.failEvery;
    if (failure) throw failure;
    this.sent.push({ to, message });
    return { channelMessageIds: [`${this.channel}-${this.sent.length}`] };
  }

  texts(): string[] {
    return this.sent.map((s) => s.message.text);
  }
}

export const RESIDENCE: Citation = {
  id: 'luat-cu-tru::20',
  title: 'Luật Cư trú',
  section: 'Điều 20',
  number: '68/2020/QH14',
  status: 'in_force',
  quote: 'Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình thì được đăng ký thường trú tại chỗ ở hợp pháp đó.',
  score: 0.82,
};

export const MINORS: Citation = {
  id: 'luat-cu-tru::20.4',
  title: 'Luật Cư trú',
  section: 'Điều 20, Khoản 4',
  number: '68/2020/QH14',
  status: 'in_force',
  quote: 'Người chưa thành niên được đăng ký thường trú tại nơi cư trú của cha, mẹ.',
  score: 0.74,
};

export const LAND_CANDIDATE: Citation = {
  id: 'luat-dat-dai::100',
  title: 'Luật Đất đai',
  section: 'Điều 100',
  status: 'in_force',
  quote: 'Cấp Giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân.',
  score: 0.21,
};

export const RETIREMENT_AGE: Citation = {
  id: 'bo-luat-lao-dong::169',
  title: 'Bộ luật Lao động',
  section: 'Điều 169',
  number: '45/2019/QH14',
  status: 'in_force',
  quote: 'Tuổi nghỉ hưu của người lao động trong điều kiện lao động bình thường được điều chỉnh theo lộ trình cho đến khi đủ 62 tuổi đối với lao động nam và đủ 60 tuổi đối với lao động nữ.',
  score: 0.55,
};

export const EARLY_RETIREMENT: Citation = {
  id: 'bo-luat-lao-dong::169.3',
  title: 'Bộ luật Lao động',
  section: 'Điều 169, Khoản 3',
  number: '45/2019/QH14',
  status: 'in_force',
  quote: 'Người lao động bị suy giảm khả năng lao động có thể nghỉ hưu ở tuổi thấp hơn nhưng không quá 05 tuổi.',
  score: 0.52,
};

/** The clarify options the test answerer offers for retirement questions. */
export const RETIREMENT_OPTIONS = [
  { id: RETIREMENT_AGE.id, label: 'Tuổi nghỉ hưu hiện nay — Bộ luật Lao động' },
  { id: EARLY_RETIREMENT.id, label: 'Nghỉ hưu trước tuổi — Bộ luật Lao động' },
];

export const PASSPORT: Citation = {
  id: 'luat-xuat-canh::15',
  title: 'Luật Xuất cảnh, nhập cảnh của công dân Việt Nam',
  section: 'Điều 15',
  number: '49/2019/QH14',
  status: 'in_force',
  quote: 'Người đề nghị cấp hộ chiếu lần đầu nộp tờ khai và ảnh chân dung.',
  score: 0.88,
};
export const PASSPORT_SHORT = 'Cấp hộ chiếu lần đầu: nộp tờ khai và ảnh chân dung.';
export const PASSPORT_MORE = 'Hồ sơ nộp tại Phòng Quản lý xuất nhập cảnh Công an tỉnh, hoặc trực tuyến trên Cổng dịch vụ công.';

/** What the test answerer says when it declines (small talk, out of scope). */
export const DECLINE_REPLY = 'Loa chỉ trả lời câu hỏi về thủ tục, chính sách của Sở Tư pháp. Bạn cứ nhắn câu hỏi nhé.';

/**
 * A small deterministic answerer: it knows about permanent residence (and, as a follow-up
 * to it, about minors) and passports (with a "Xem thêm"), asks which one for retirement
 * questions (clarify), declines thanks and the gold price, finds an unconvincing candidate
 * for land questions, and knows nothing else. It fails on request, like a broken index.
 */
export class TestAnswerer implements Answerer {
  readonly calls: { question: string; history: string[] }[] = [];
  readonly answerFromCalls: { question: string; unitId: string }[] = [];
  failWith?: Error;
  /** Runs at the start of every `answerFrom` (e.g. to hold it while another press arrives). */
  onAnswerFrom?: () => Promise<void>;

  async ask(question: string, options?: AskOptions): Promise<AskResult> {
    const history = options?.history ?? [];
    this.calls.push({ question, history });
    if (this.failWith) throw this.failWith;
    const q = normalizeForMatching(question);
    if (q.includes('thuong tru')) {
      return { outcome: 'answer', answer: 'Bạn được đăng ký thường trú tại chỗ ở hợp pháp thuộc quyền sở hữu của mình.', citations: [RESIDENCE], confidence: 0.82, abstained: false };
    }
    if (q.includes('duoi 18') && history.some((h) => normalizeForMatching(h).includes('thuong tru'))) {
      return { outcome: 'answer', answer: 'Người chưa thành niên được đăng ký thường trú tại nơi cư trú của cha, mẹ.', citations: [MINORS], confidence: 0.74, abstained: false };
    }
    if (q.includes('nghi huu')) {
      return {
        outcome: 'clarify', answer: '', options: RETIREMENT_OPTIONS, citations: [], candidates: [RETIREMENT_AGE, EARLY_RETIREMENT],
        confidence: 0.5, abstained: true, reason: 'low_confidence',
      };
    }
    if (q.includes('ly hon')) {
      // An option whose unit is gone by the time it is chosen (the document was deleted since).
      return {
        outcome: 'clarify', answer: '', options: [{ id: 'luat-hon-nhan::51', label: 'Quyền yêu cầu ly hôn' }, RETIREMENT_OPTIONS[0]], citations: [],
        confidence: 0.4, abstained: true, reason: 'low_confidence',
      };
    }
    if (q.includes('ho chieu')) {
      return { outcome: 'answer', answer: PASSPORT_SHORT, more: PASSPORT_MORE, citations: [PASSPORT], confidence: 0.88, abstained: false };
    }
    if (q === 'cam on' || q.includes('gia vang')) {
      return { outcome: 'decline', answer: DECLINE_REPLY, citations: [], confidence: 0, abstained: true, reason: 'out_of_scope' };
    }
    if (q.includes('dat dai')) {
      return { outcome: 'handoff', answer: '', citations: [], candidates: [LAND_CANDIDATE], confidence: 0.21, abstained: true, reason: 'low_confidence' };
    }
    return { outcome: 'handoff', answer: '', citations: [], confidence: 0, abstained: true, reason: 'no_knowledge' };
  }

  async answerFrom(question: string, unitId: string): Promise<AskResult> {
    this.answerFromCalls.push({ question, unitId });
    await this.onAnswerFrom?.();
    const known = [RESIDENCE, MINORS, RETIREMENT_AGE, EARLY_RETIREMENT].find((c) => c.id === unitId);
    if (!known) return { outcome: 'handoff', answer: '', citations: [], confidence: 0, abstained: true, reason: 'low_confidence' };
    return { outcome: 'answer', answer: known.quote, citations: [known], confidence: 1, abstained: false };
  }
}

/** A temporary SQLite file with the core's stores over it. */
export class TestDatabase {
  readonly dir = mkdtempSync(join(tmpdir(), 'loa-core-'));
  readonly file = join(this.dir, 'loa.sqlite');
  private readonly handles: SqlDatabase[] = [];

  /** Opens a new handle on the database (a restarted process opens its own). */
  async open(): Promise<{ db: SqlDatabase; stores: BotStorage }> {
    const database = await openSqlDatabase({ sqliteFile: this.file });
    this.handles.push(database);
    const { inbox, outbox, conversations, examples, escalations } = sqlStores(database);
    return {
      db: database,
      stores: {
        inbox,
        outbox,
        conversations,
        escalations,
        examples,
      },
    };
  }

  async cleanup(): Promise<void> {
    for (const database of this.handles) await database.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const silentLogger = pino({ level: 'silent' });

export function makeCore(
  stores: BotStorage,
  answerer: Answerer,
  options: { rateLimitPerMinute?: number; retry?: ConversationCoreOptions['config']['retry']; clock?: () => Date } = {},
): ConversationCore {
  return new ConversationCore({
    answerer,
    storage: stores,
    logger: silentLogger,
    config: {
      rateLimitPerMinute: options.rateLimitPerMinute ?? 100,
      agencyName: 'Sở Tư pháp tỉnh Thử nghiệm',
      // Short delays keep the tests quick; the policy's shape is what is tested.
      retry: options.retry ?? { baseMs: 5, maxMs: 1_000, maxAttempts: 6 },
    },
    clock: options.clock,
  });
}

let counter = 0;

/** A citizen's message as an adapter would hand it over. */
export function incoming(partial: Partial<IncomingMessage> & { userId?: string } = {}): IncomingMessage {
  const { userId = 'u1', ...rest } = partial;
  const channel = rest.channel ?? 'telegram';
  return {
    channel,
    channelMessageId: `m${++counter}`,
    from: { channel, userId, address: { chatId: userId } },
    kind: 'text',
    sentAt: new Date().toISOString(),
    ...rest,
  };
}
