import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCitizen } from '../../app/commands/citizen.ts';
import { ERASED_TEXT } from '../../storage/privacy-store.ts';
import { citizenAsks, loginAdmin, loginAs, StaffClient, startTestLoa, webchatTranscript, type TestLoa } from './harness.ts';

let t: TestLoa;
let admin: StaffClient;
beforeAll(async () => {
  t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
  admin = await loginAdmin(t);
});
afterAll(async () => {
  await t?.stop();
});

interface Counts {
  turns: number;
  inbox: number;
  escalations: number;
  webchatMessages: number;
  faqDrafts: number;
}
const ZERO = { turns: 0, feedback: 0, inbox: 0, outbox: 0, escalations: 0, webchatMessages: 0, examples: 0, faqDrafts: 0 };

describe("erasing a citizen's data on request (console API)", () => {
  it('only administrators may, and outside input is validated', async () => {
    const officer = await loginAs(t, 'spokesperson', admin);
    const viewer = await loginAs(t, 'viewer', admin);
    const anonymous = new StaffClient(t.url, '', '', { ...admin.user, id: '' });
    const body = { channel: 'telegram', userId: '123' };
    expect((await officer.post('/citizens/preview', body)).status).toBe(403);
    expect((await viewer.post('/citizens/forget', { ...body, confirm: true })).status).toBe(403);
    expect((await anonymous.post('/citizens/preview', body)).status).toBe(401);
    for (const bad of [{}, { channel: 'sms', userId: '1' }, { channel: 'zalo' }, { channel: 'zalo', userId: '1', escalationId: 'e' }, { channel: 'zalo', userId: 'x'.repeat(300) }, { ...body, extra: 1 }]) {
      expect([bad, (await admin.post('/citizens/preview', bad)).status]).toEqual([bad, 400]);
    }
    expect((await admin.post('/citizens/forget', body)).status).toBe(400);
    expect((await admin.post('/citizens/forget', { ...body, confirm: 'yes' })).status).toBe(400);
    expect((await admin.post('/citizens/preview', { escalationId: 'esc_unknown' })).status).toBe(404);
  });

  it('previews from an escalation, erases in one step, flags the FAQ draft, and audits by pseudonym only', async () => {
    const question = 'CCCD của tôi là 001099012345, số điện thoại 0912345678, xin hỏi về hộ chiếu';
    const citizen = await citizenAsks(t, question);
    const other = await citizenAsks(t, 'Câu hỏi của người khác');
    const draft = await t.runtime.storage.faqs.create({ questions: [question], answer: 'Trả lời', citations: [], createdBy: admin.user.email, sourceEscalationId: citizen.escalationId }, new Date());

    const byEscalation = await admin.post<{ pseudonym: string; counts: Counts; total: number }>('/citizens/preview', { escalationId: citizen.escalationId });
    expect(byEscalation.status).toBe(200);
    expect(byEscalation.body.pseudonym).toMatch(/^[0-9a-f]{12}$/);
    expect(byEscalation.body.counts).toMatchObject({ turns: 1, inbox: 1, escalations: 1, faqDrafts: 1 });
    expect(byEscalation.body.counts.webchatMessages).toBeGreaterThanOrEqual(2);
    const byId = await admin.post('/citizens/preview', { channel: 'webchat', userId: citizen.sessionId });
    expect(byId.body).toEqual(byEscalation.body);

    const done = await admin.post<{ pseudonym: string; counts: Counts; flaggedFaqIds: string[] }>('/citizens/forget', { escalationId: citizen.escalationId, confirm: true });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ pseudonym: byEscalation.body.pseudonym, counts: byEscalation.body.counts, flaggedFaqIds: [draft.id] });
    expect((await admin.post('/citizens/preview', { channel: 'webchat', userId: citizen.sessionId })).body).toMatchObject({ counts: ZERO, total: 0 });
    // The escalation is anonymised, so it no longer leads to anyone.
    expect((await admin.post('/citizens/preview', { escalationId: citizen.escalationId })).status).toBe(404);
    expect((await t.runtime.storage.escalations.get(citizen.escalationId))?.question).toBe(ERASED_TEXT);
    expect(await t.runtime.storage.faqs.get(draft.id)).toMatchObject({ status: 'needs_review', reviewReason: 'citizen_data_erased' });
    // The citizen's web chat session is gone with its transcript; the other citizen's is whole.
    await expect(webchatTranscript(t.url, citizen)).rejects.toThrow(/HTTP 4\d\d/);
    expect((await webchatTranscript(t.url, other)).length).toBeGreaterThanOrEqual(2);

    const audit = await admin.get<{ items: { actor: string; action: string; target: string; details: Record<string, unknown> }[] }>('/audit?action=citizen.forget');
    expect(audit.body.items).toHaveLength(1);
    const entry = audit.body.items[0];
    expect(entry).toMatchObject({ actor: admin.user.email, target: `citizen:${byEscalation.body.pseudonym}`, details: { channel: 'webchat', turns: 1, flaggedFaqIds: [draft.id] } });
    const text = JSON.stringify(entry);
    for (const personal of [citizen.sessionId, '001099012345', '0912345678']) expect(text).not.toContain(personal);
  });
});

describe('loa citizen forget', () => {
  it('shows the counts without --yes, erases with it, audited as cli; refuses an unknown channel', async () => {
    const c = { channel: 'telegram' as const, userId: '987654321' };
    await t.runtime.storage.conversations.recordTurn({ channel: c.channel, userId: c.userId, intent: 'question', userText: 'Tôi là Lê Văn C', replyKind: 'answer', replyText: 'Chào anh C', createdAt: new Date().toISOString() });
    const run = async (...args: string[]) => {
      const out: string[] = [];
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
      try {
        const program = new Command('loa').exitOverride();
        registerCitizen(program, { LOA_DATA_DIR: t.dataDir, LOA_LOG_LEVEL: 'silent' });
        await program.parseAsync(['citizen', 'forget', ...args], { from: 'user' });
      } finally {
        write.mockRestore();
      }
      return out.join('');
    };
    const dry = await run('--channel', 'telegram', '--user', c.userId);
    expect(dry).toMatch(/Citizen [0-9a-f]{12} on telegram:\n\s+1\s+conversation turns/);
    expect(dry).toContain('Nothing erased. Run again with --yes to erase.');
    expect((await t.runtime.storage.privacy.preview(c)).turns).toBe(1);
    expect(await run('--channel', 'telegram', '--user', c.userId, '--yes')).toContain('Erased. 0 FAQ draft(s) flagged for review.');
    expect((await t.runtime.storage.privacy.preview(c)).turns).toBe(0);
    await expect(run('--channel', 'sms', '--user', '1')).rejects.toThrow(/channel: /);
    const audit = await admin.get<{ items: { actor: string; target: string }[] }>('/audit?action=citizen.forget&actor=cli');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]?.target).not.toContain(c.userId);
  });
});
