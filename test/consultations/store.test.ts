import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDraft } from '../../consultations/draft.ts';
import { mapVersions } from '../../consultations/version-map.ts';
import { openConsultationStore } from '../../storage/consultation-store-kysely.ts';
import { SlugTakenError, VersionConflictError, type ConsultationStore } from '../../storage/consultation-store.ts';
import { openPostgresPool, type PgPool } from '../../storage/postgres/database.ts';
import { createTempSchema, usePostgres, type TempSchema } from '../support/services.ts';
import { tempDatabase } from '../support/temp-sqlite.ts';
import { DRAFT_V1, DRAFT_V2, sampleConsultation } from './support.ts';

const pgUp = await usePostgres();
const NOW = new Date('2026-12-01T03:00:00Z');

/** The same behaviour on both backends: the one Kysely implementation. */
function contract(name: string, open: () => Promise<{ a: ConsultationStore; b: ConsultationStore; close(): Promise<void> }>) {
  describe(`consultation store on ${name}`, () => {
    let a: ConsultationStore;
    let b: ConsultationStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ a, b, close } = await open());
    });
    afterAll(async () => close());

    it('creates a consultation with its first draft, and refuses a second one at the same address', async () => {
      const draft = await parseDraft(DRAFT_V1.name, DRAFT_V1.bytes);
      const c = await a.create(sampleConsultation(NOW), { title: draft.title, sourceName: DRAFT_V1.name, units: draft.units }, NOW);
      expect(c).toMatchObject({ slug: 'xe-dap-dien', currentVersion: 1, asks: { organisation: true, name: false }, officers: ['drafter@agency.gov.vn'] });
      expect((await b.getBySlug('xe-dap-dien'))?.id).toBe(c.id);
      const v1 = await b.getVersion(c.id, 1);
      expect(v1?.units.map((u) => u.key)).toContain('5.2');
      await expect(b.create(sampleConsultation(NOW), { title: 'x', sourceName: 'x.md', units: draft.units }, NOW)).rejects.toBeInstanceOf(SlugTakenError);
    });

    it('keeps one comment per citizen and unit, even when two instances save it at once', async () => {
      const c = (await a.getBySlug('xe-dap-dien'))!;
      const base = { consultationId: c.id, version: 1, unitKey: '3', channel: 'zalo' as const, citizenId: 'z-1' };
      const results = await Promise.all([
        a.saveComment({ ...base, stance: 'agree', text: 'Đồng ý với định nghĩa.' }, NOW),
        b.saveComment({ ...base, stance: 'disagree', text: 'Định nghĩa còn thiếu xe máy điện.' }, NOW),
        a.saveComment({ ...base, stance: 'other', text: 'Cần nói rõ điểm đỗ.' }, NOW),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const mine = await b.commentsOf(c.id, { channel: 'zalo', citizenId: 'z-1' });
      expect(mine).toHaveLength(1);
      expect(results.map((r) => r.comment.id).every((id) => id === mine[0].id)).toBe(true);
    });

    it('lets only the author edit or withdraw, and withdrawing twice is refused', async () => {
      const c = (await a.getBySlug('xe-dap-dien'))!;
      const [mine] = await a.commentsOf(c.id, { channel: 'zalo', citizenId: 'z-1' });
      expect(await a.editComment(mine.id, { channel: 'zalo', citizenId: 'someone-else' }, { stance: 'agree', text: 'x' }, NOW)).toBeUndefined();
      const edited = await a.editComment(mine.id, { channel: 'zalo', citizenId: 'z-1' }, { stance: 'disagree', text: 'Cần thêm xe máy điện.' }, NOW);
      expect(edited).toMatchObject({ stance: 'disagree', text: 'Cần thêm xe máy điện.' });
      const both = await Promise.all([a.withdrawComment(mine.id, { channel: 'zalo', citizenId: 'z-1' }, NOW), b.withdrawComment(mine.id, { channel: 'zalo', citizenId: 'z-1' }, NOW)]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(await a.listComments(c.id)).toHaveLength(0);
      expect(await a.listComments(c.id, { withdrawn: true })).toHaveLength(1);
      // Commenting again on the same unit brings it back.
      const again = await a.saveComment({ consultationId: c.id, version: 1, unitKey: '3', channel: 'zalo', citizenId: 'z-1', stance: 'agree', text: 'Đồng ý.' }, NOW);
      expect(again).toMatchObject({ created: false, comment: { withdrawn: false, stance: 'agree' } });
    });

    it('carries comments to the revised draft, each keeping the version and unit it was made on', async () => {
      const c = (await a.getBySlug('xe-dap-dien'))!;
      await a.saveComment({ consultationId: c.id, version: 1, unitKey: '5.1', channel: 'telegram', citizenId: 't-1', stance: 'disagree', text: 'Mức phạt quá cao.' }, NOW);
      const v1 = (await a.getVersion(c.id, 1))!;
      const v2 = await parseDraft(DRAFT_V2.name, DRAFT_V2.bytes);
      const draft = { title: v2.title, sourceName: DRAFT_V2.name, units: v2.units, mapping: mapVersions(v1.units, v2.units) };
      const outcomes = await Promise.allSettled([a.addVersion(c.id, 1, draft, NOW), b.addVersion(c.id, 1, draft, NOW)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected');
      expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(VersionConflictError);
      expect((await b.get(c.id))?.currentVersion).toBe(2);
      const comments = await b.listComments(c.id);
      const onFines = comments.find((x) => x.citizenId === 't-1')!;
      expect(onFines).toMatchObject({ version: 1, unitKey: '5.1', currentUnitKey: '6.1' });
      const onDefinitions = comments.find((x) => x.citizenId === 'z-1')!;
      expect(onDefinitions).toMatchObject({ version: 1, unitKey: '3', currentUnitKey: '4' });
    });

    it('groups comments into themes, merges, renames and answers them', async () => {
      const c = (await a.getBySlug('xe-dap-dien'))!;
      const comments = await a.listComments(c.id);
      const themes = await a.createThemes(c.id, comments.map((x) => ({ unitKey: x.currentUnitKey!.split('.')[0], label: x.text, commentIds: [x.id] })), NOW);
      expect(themes).toHaveLength(2);
      const merged = await b.mergeThemes(c.id, themes[0].id, [themes[1].id], NOW);
      expect(merged?.id).toBe(themes[0].id);
      expect(await a.listThemes(c.id)).toHaveLength(1);
      expect((await a.listComments(c.id)).every((x) => x.themeId === themes[0].id)).toBe(true);
      const answered = await a.updateTheme(themes[0].id, { label: 'Phạm vi và mức phạt', responseKind: 'accept', responseText: 'Đã giảm mức phạt.', respondedBy: 'drafter@agency.gov.vn' }, NOW);
      expect(answered).toMatchObject({ label: 'Phạm vi và mức phạt', responseKind: 'accept' });
      expect(await a.deleteTheme(themes[0].id)).toBe(true);
      expect((await a.listComments(c.id)).every((x) => x.themeId === undefined)).toBe(true);
    });

    it('hides with a reason, publishes once, and forgets personal data', async () => {
      const c = (await a.getBySlug('xe-dap-dien'))!;
      const saved = await a.saveComment({ consultationId: c.id, version: 2, unitKey: '6', channel: 'page', citizenId: 'v-1', stance: 'other', text: 'quảng cáo', organisation: 'Công ty A', contact: 'a@example.com' }, NOW);
      expect(await a.setHidden(saved.comment.id, true, 'spam', NOW)).toBe(true);
      expect((await a.listComments(c.id)).some((x) => x.id === saved.comment.id)).toBe(false);
      expect((await a.getComment(saved.comment.id))?.hiddenReason).toBe('spam');
      const published = await Promise.all([a.markPublished(c.id, NOW), b.markPublished(c.id, NOW)]);
      expect(published.filter(Boolean)).toHaveLength(1);
      expect(await a.forgetPersonalData(c.id)).toBeGreaterThan(0);
      expect(await a.getComment(saved.comment.id)).not.toHaveProperty('contact');
    });

    it('remembers where a citizen is in the chat flow', async () => {
      const c = (await a.getBySlug('xe-dap-dien'))!;
      await a.setChatState({ channel: 'telegram', userId: 't-9', consultationId: c.id, unitKey: '6', step: 'stance', updatedAt: NOW.toISOString() });
      await b.setChatState({ channel: 'telegram', userId: 't-9', consultationId: c.id, unitKey: '6', step: 'text', stance: 'agree', updatedAt: NOW.toISOString() });
      expect(await a.getChatState('telegram', 't-9')).toMatchObject({ step: 'text', stance: 'agree', unitKey: '6' });
      await a.clearChatState('telegram', 't-9');
      expect(await b.getChatState('telegram', 't-9')).toBeUndefined();
    });
  });
}

// SQLite serves one instance: one handle, one store, concurrent calls on it (Kysely serialises
// its transactions on the connection). PostgreSQL: two pools, as two instances.
contract('SQLite', async () => {
  const tmp = tempDatabase('loa-consult-');
  const store = await openConsultationStore({ sqlite: tmp.open() });
  return { a: store, b: store, close: async () => tmp.cleanup() };
});

describe.runIf(pgUp)('PostgreSQL', () => {
  contract('PostgreSQL', async () => {
    const schema: TempSchema = await createTempSchema();
    const pools: PgPool[] = [openPostgresPool(schema.url), openPostgresPool(schema.url)];
    const [a, b] = await Promise.all(pools.map((pool) => openConsultationStore({ postgres: pool })));
    return {
      a,
      b,
      close: async () => {
        for (const p of pools) await p.end();
        await schema.drop();
      },
    };
  });
});
