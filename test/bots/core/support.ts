import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ConversationCore, type ConversationCoreOptions } from '../../../bots/core/conversation-core.ts';
import { normalizeForMatching } from '../../../bots/core/classify.ts';
import type { ChannelName, ChannelSendError, ChannelSender, IncomingMessage, OutgoingMessage, Recipient } from '../../../bots/core/types.ts';
import type { Answerer, AskOptions, AskResult, Citation } from '../../../retrieval/types.ts';
import type { BotStorage } from '../../../storage/index.ts';
import { SqliteConversationStore } from '../../../storage/sqlite/conversation-store.ts';
import { openSqlite, type SqliteDatabase } from '../../../storage/sqlite/database.ts';
import { SqliteEscalationStore } from '../../../storage/sqlite/escalation-store.ts';
import { SqliteLabelledExampleStore } from '../../../storage/sqlite/example-store.ts';
import { SqliteInboxStore } from '../../../storage/sqlite/inbox-store.ts';
import { SqliteOutboxStore } from '../../../storage/sqlite/outbox-store.ts';

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

/**
 * A small deterministic answerer: it knows about permanent residence (and, as a follow-up
 * to it, about minors), finds an unconvincing candidate for land questions, and knows
 * nothing else. It fails on request, like a broken index.
 */
export class TestAnswerer implements Answerer {
  readonly calls: { question: string; history: string[] }[] = [];
  failWith?: Error;

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
    if (q.includes('dat dai')) {
      return { outcome: 'handoff', answer: '', citations: [], candidates: [LAND_CANDIDATE], confidence: 0.21, abstained: true, reason: 'low_confidence' };
    }
    return { outcome: 'handoff', answer: '', citations: [], confidence: 0, abstained: true, reason: 'no_knowledge' };
  }

  async answerFrom(question: string, unitId: string): Promise<AskResult> {
    const known = [RESIDENCE, MINORS].find((c) => c.id === unitId);
    if (!known) return { outcome: 'handoff', answer: '', citations: [], confidence: 0, abstained: true, reason: 'low_confidence' };
    return { outcome: 'answer', answer: known.quote, citations: [known], confidence: 1, abstained: false };
  }
}

/** A temporary SQLite file with the core's stores over it. */
export class TestDatabase {
  readonly dir = mkdtempSync(join(tmpdir(), 'loa-core-'));
  readonly file = join(this.dir, 'loa.sqlite');
  private readonly handles: SqliteDatabase[] = [];

  /** Opens a new connection (a restarted process opens its own). */
  open(): { db: SqliteDatabase; stores: BotStorage } {
    const db = openSqlite(this.file);
    this.handles.push(db);
    return {
      db,
      stores: {
        inbox: new SqliteInboxStore(db),
        outbox: new SqliteOutboxStore(db),
        conversations: new SqliteConversationStore(db),
        escalations: new SqliteEscalationStore(db),
        examples: new SqliteLabelledExampleStore(db),
      },
    };
  }

  cleanup(): void {
    for (const db of this.handles) if (db.open) db.close();
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
