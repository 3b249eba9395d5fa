import { describe, expect, it } from 'vitest';
import { UnknownWebchatSessionError } from '../../../storage/webchat-store.ts';
import { useBackend, type BackendFactory } from './backend.ts';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

/** WebchatStore behaviour every backend must have. */
export function webchatStoreContract(factory: BackendFactory): void {
  describe('WebchatStore', () => {
    const db = useBackend(factory);
    const open = async () => (await db().connect()).webchat();

    it('numbers messages 1, 2, 3 … per session and lists them after a seq', async () => {
      const store = await open();
      await store.createSession({ id: 's1', tokenHash: 'h1', createdAt: T0.toISOString() });
      await store.createSession({ id: 's2', tokenHash: 'h2', createdAt: T0.toISOString() });
      expect(await store.getSession('s1')).toEqual({ id: 's1', tokenHash: 'h1', createdAt: T0.toISOString(), lastActiveAt: T0.toISOString() });
      const a = await store.appendMessage('s1', { kind: 'user', text: 'Xin chào', clientMessageId: 'c1' }, at(1));
      expect(a).toEqual({ created: true, message: { seq: 1, kind: 'user', text: 'Xin chào', clientMessageId: 'c1', citations: [], createdAt: at(1).toISOString() } });
      const citations = [{ n: 1, label: 'Luật Cư trú, Điều 20', url: 'https://vbpl.vn/x', quote: 'Công dân …' }];
      await store.appendMessage('s1', { kind: 'answer', text: 'Trả lời', answerId: 'a1', citations }, at(2));
      await store.appendMessage('s2', { kind: 'user', text: 'phiên khác' }, at(2));
      await store.appendMessage('s1', { kind: 'notice', text: 'ba' }, at(3));
      expect((await store.listMessages('s1', 0, 10)).map((m) => m.seq)).toEqual([1, 2, 3]);
      expect((await store.listMessages('s2', 0, 10)).map((m) => m.seq)).toEqual([1]);
      expect(await store.listMessages('s1', 1, 1)).toEqual([{ seq: 2, kind: 'answer', text: 'Trả lời', answerId: 'a1', citations, createdAt: at(2).toISOString() }]);
      // A message sent without a client id comes back without the property, not with `undefined`.
      expect((await store.listMessages('s1', 1, 1))[0]).not.toHaveProperty('clientMessageId');
      expect((await store.getSession('s1'))?.lastActiveAt).toBe(at(3).toISOString());
    });

    it("keeps a message's actions (buttons) for a reload", async () => {
      const store = await open();
      await store.createSession({ id: 's1', tokenHash: 'h', createdAt: T0.toISOString() });
      const actions = [
        { kind: 'choose' as const, id: 't1:1', label: 'Tuổi nghỉ hưu hiện nay' },
        { kind: 'human' as const, id: 't1:2', label: 'Không phải — gặp cán bộ' },
      ];
      const { message } = await store.appendMessage('s1', { kind: 'notice', text: 'Có phải bạn hỏi về:', actions }, at(1));
      expect(message.actions).toEqual(actions);
      await store.appendMessage('s1', { kind: 'notice', text: 'không có nút' }, at(2));
      const [withActions, without] = await store.listMessages('s1', 0, 10);
      expect(withActions.actions).toEqual(actions);
      expect(without).not.toHaveProperty('actions');
    });

    it('does not store a browser retry twice', async () => {
      const store = await open();
      await store.createSession({ id: 's1', tokenHash: 'h', createdAt: T0.toISOString() });
      const first = await store.appendMessage('s1', { kind: 'user', text: 'một', clientMessageId: 'c1' }, at(1));
      const again = await store.appendMessage('s1', { kind: 'user', text: 'một', clientMessageId: 'c1' }, at(2));
      expect(again).toEqual({ created: false, message: first.message });
      expect(await store.listMessages('s1', 0, 10)).toHaveLength(1);
    });

    it('keeps seqs consecutive and retries single when two connections append at once', async () => {
      const one = await open();
      const two = await open();
      await one.createSession({ id: 's1', tokenHash: 'h', createdAt: T0.toISOString() });
      const results = await Promise.all(
        [...Array(16)].map((_, i) => (i % 2 ? one : two).appendMessage('s1', { kind: 'user', text: `tin ${i % 8}`, clientMessageId: `c${i % 8}` }, at(i))),
      );
      expect(results.filter((r) => r.created)).toHaveLength(8);
      const stored = await two.listMessages('s1', 0, 100);
      expect(stored.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(new Set(stored.map((m) => m.clientMessageId)).size).toBe(8);
    });

    it('refuses messages for unknown sessions and deletes idle sessions with their transcripts', async () => {
      const store = await open();
      await expect(store.appendMessage('nope', { kind: 'user', text: 'x' })).rejects.toBeInstanceOf(UnknownWebchatSessionError);
      await store.createSession({ id: 'old', tokenHash: 'h', createdAt: T0.toISOString() });
      await store.createSession({ id: 'new', tokenHash: 'h', createdAt: T0.toISOString() });
      await store.appendMessage('old', { kind: 'user', text: 'x' }, at(10));
      await store.appendMessage('new', { kind: 'user', text: 'y' }, at(100));
      expect(await store.deleteSessionsIdleSince(at(50))).toBe(1);
      expect(await store.getSession('old')).toBeUndefined();
      expect(await store.listMessages('old', 0, 10)).toEqual([]);
      expect(await store.getSession('new')).toBeDefined();
    });
  });
}
