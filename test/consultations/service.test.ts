import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage, Recipient } from '../../bots/core/types.ts';
import { ConsultationChat } from '../../consultations/chat.ts';
import { ConsultationError, ConsultationService } from '../../consultations/service.ts';
import { openConsultationStore } from '../../storage/consultation-store-kysely.ts';
import type { ConsultationStore } from '../../storage/consultation-store.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';
import { DRAFT_V1, sampleConsultation } from './support.ts';

/**
 * The consultation rules on a real SQLite store with a clock the test moves: the period,
 * publication and who is told (Zalo only inside its 48-hour reply window), grouping, and
 * questions answered from the draft.
 */

const HOUR = 3_600_000;
const start = new Date('2026-12-01T02:00:00Z');
let now = start;
const tmp = tempDatabase('loa-consult-svc-');
let store: ConsultationStore;
let service: ConsultationService;
const sent: { recipient: Recipient; message: OutgoingMessage }[] = [];

const recipient = (channel: Recipient['channel'], userId: string): Recipient => ({ channel, userId, address: { id: userId } });

beforeAll(async () => {
  store = await openConsultationStore({ sqlite: tmp.open() });
  service = new ConsultationService({ store, clock: () => now, send: async (r, m) => void sent.push({ recipient: r, message: m }), publicUrl: 'https://gopy.example.gov.vn' });
});
afterAll(() => tmp.cleanup());

describe('consultation rules', () => {
  let id: string;

  it('takes comments only inside the period, on units of the current draft', async () => {
    const c = await service.create(sampleConsultation(start, { closesAt: new Date(start.getTime() + 72 * HOUR).toISOString() }), DRAFT_V1);
    id = c.id;
    await expect(service.comment({ consultationId: id, unitKey: '42', channel: 'page', citizenId: 'v', stance: 'agree', text: 'Điều không có.' })).rejects.toMatchObject({ code: 'no_unit' });
    // Zalo: commented 70 h before the publication (outside the 48 h window); Telegram and the page later.
    await service.comment({ consultationId: id, unitKey: '5.1', channel: 'zalo', citizenId: 'z-old', stance: 'disagree', text: 'Mức phạt quá cao.', recipient: recipient('zalo', 'z-old'), lastMessageId: 'zm-1' });
    now = new Date(start.getTime() + 60 * HOUR);
    await service.comment({ consultationId: id, unitKey: '5.1', channel: 'zalo', citizenId: 'z-new', stance: 'disagree', text: 'Mức phạt quá cao.', recipient: recipient('zalo', 'z-new'), lastMessageId: 'zm-2' });
    await service.comment({ consultationId: id, unitKey: '5.1', channel: 'telegram', citizenId: 't-1', stance: 'disagree', text: 'Mức phạt quá cao.', recipient: recipient('telegram', 't-1'), lastMessageId: '1' });
    await service.comment({ consultationId: id, unitKey: '3', channel: 'page', citizenId: 'v-1', stance: 'other', text: 'Cần định nghĩa điểm đỗ rõ hơn.' });
    now = new Date(start.getTime() + 73 * HOUR);
    await expect(service.comment({ consultationId: id, unitKey: '3', channel: 'page', citizenId: 'v-2', stance: 'agree', text: 'Muộn rồi.' })).rejects.toBeInstanceOf(ConsultationError);
    const [mine] = await store.commentsOf(id, { channel: 'page', citizenId: 'v-1' });
    await expect(service.withdraw(mine.id, { channel: 'page', citizenId: 'v-1' })).rejects.toMatchObject({ code: 'closed' });
  });

  it('groups the copied texts into one theme per article and stance', async () => {
    const themes = await service.group(id);
    expect(themes.map((t) => [t.unitKey, t.label]).sort()).toEqual([
      ['3', 'Ý kiến khác: Cần định nghĩa điểm đỗ rõ hơn.'],
      ['5', 'Không đồng ý: Mức phạt quá cao.'],
    ]);
    // Grouping again leaves existing themes alone.
    expect(await service.group(id)).toEqual([]);
    const fines = themes.find((t) => t.unitKey === '5')!;
    await store.updateTheme(fines.id, { responseKind: 'explain', responseText: 'Mức phạt bằng mức của Nghị định 100/2019.' }, now);
  });

  it('publishes once after the close and tells chat participants, Zalo only inside its reply window', async () => {
    const { notified } = await service.publish(id);
    expect(notified).toEqual({ sent: 2, outsideWindow: 1, onPage: 1 });
    expect(sent.map((s) => s.recipient.userId).sort()).toEqual(['t-1', 'z-new']);
    const zalo = sent.find((s) => s.recipient.channel === 'zalo')!;
    // As a reply to the citizen's own message: the free window.
    expect(zalo.message.replyToChannelMessageId).toBe('zm-2');
    expect(zalo.message.text).toContain('Giải trình — Mức phạt bằng mức của Nghị định 100/2019.');
    expect(zalo.message.text).toContain('https://gopy.example.gov.vn/gop-y/xe-dap-dien');
    await expect(service.publish(id)).rejects.toMatchObject({ code: 'already_published' });
    const synthesis = await service.synthesis(id);
    expect(synthesis).toMatchObject({ consulted: 40, replied: 4, comments: 4, unanswered: 1 });
  });

  it('answers a question about a draft from the draft, cited as a draft, only inside the consultation', async () => {
    now = start;
    const c = await service.create(sampleConsultation(start, { slug: 'hoi-du-thao' }), DRAFT_V1);
    const chat = new ConsultationChat(service, () => now);
    const who = { channel: 'telegram' as const, userId: 't-q', recipient: recipient('telegram', 't-q'), messageId: '9' };
    // Outside a consultation, a question is not the chat flow's: ordinary retrieval answers it.
    expect(await chat.typed(who, 'Doanh nghiệp phải ký quỹ bao nhiêu?')).toBeUndefined();
    const opened = await chat.typed(who, 'góp ý dự thảo');
    expect(opened?.menu?.type).toBe('consult');
    const answer = await chat.typed(who, 'Doanh nghiệp phải ký quỹ bao nhiêu?');
    expect(answer?.text).toContain('Theo dự thảo (chưa có hiệu lực');
    expect(answer?.text).toContain('500 triệu đồng');
    expect(answer?.citations?.[0]).toMatchObject({ id: `draft:${c.id}:1:4.3`, title: expect.stringContaining('(chưa có hiệu lực)') });
    // A question the draft says nothing about goes to ordinary retrieval, even mid-consultation.
    expect(await chat.typed(who, 'Thủ tục đăng ký khai sinh cho con thế nào?')).toBeUndefined();
  });
});
