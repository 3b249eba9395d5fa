import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../../storage/sqlite/database.ts';
import { createSqliteWebchatStore } from '../../../storage/sqlite/webchat-store.ts';
import { UnknownWebchatSessionError, type WebchatStore } from '../../../storage/webchat-store.ts';

describe('SQLite web chat store', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: WebchatStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loa-webchat-store-'));
    db = openSqlite(join(dir, 'loa.sqlite'));
    store = createSqliteWebchatStore(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const session = (id: string, at = '2025-01-01T00:00:00.000Z') => store.createSession({ id, tokenHash: 'ab'.repeat(32), createdAt: at });

  it('numbers messages per session from 1, independently', async () => {
    await session('ws_a');
    await session('ws_b');
    const seqs = [];
    for (const id of ['ws_a', 'ws_a', 'ws_b', 'ws_a']) seqs.push((await store.appendMessage(id, { kind: 'notice', text: id })).message.seq);
    expect(seqs).toEqual([1, 2, 1, 3]);
    expect((await store.listMessages('ws_a', 1, 10)).map((m) => m.seq)).toEqual([2, 3]);
    expect((await store.listMessages('ws_a', 0, 2)).map((m) => m.seq)).toEqual([1, 2]);
  });

  it('keeps citations, answer ids and client ids, and stores a client id once per session', async () => {
    await session('ws_a');
    const citations = [{ n: 1, label: 'Luật Cư trú, Điều 20', url: 'https://example.gov.vn/a', quote: 'trích' }];
    await store.appendMessage('ws_a', { kind: 'answer', text: 'Đáp', citations, answerId: 'a1' });
    const first = await store.appendMessage('ws_a', { kind: 'user', text: 'Hỏi', clientMessageId: 'c1' });
    const again = await store.appendMessage('ws_a', { kind: 'user', text: 'Hỏi (gửi lại)', clientMessageId: 'c1' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ message: first.message, created: false });
    const listed = await store.listMessages('ws_a', 0, 10);
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ kind: 'answer', citations, answerId: 'a1' });
    expect(listed[0]).not.toHaveProperty('clientMessageId');
    expect(listed[1]).toEqual(first.message);
  });

  it('rejects messages for unknown sessions', async () => {
    await expect(store.appendMessage('ws_none', { kind: 'notice', text: 'x' })).rejects.toBeInstanceOf(UnknownWebchatSessionError);
  });

  it('deletes idle sessions with their transcripts', async () => {
    await session('ws_old', '2024-01-01T00:00:00.000Z');
    await session('ws_new', '2024-01-01T00:00:00.000Z');
    await store.appendMessage('ws_old', { kind: 'notice', text: 'x' }, new Date('2024-01-02T00:00:00Z'));
    await store.appendMessage('ws_new', { kind: 'notice', text: 'y' }, new Date('2024-06-01T00:00:00Z'));
    expect(await store.deleteSessionsIdleSince(new Date('2024-03-01T00:00:00Z'))).toBe(1);
    expect(await store.getSession('ws_old')).toBeUndefined();
    expect(await store.listMessages('ws_old', 0, 10)).toEqual([]);
    expect((await store.getSession('ws_new'))?.lastActiveAt).toBe('2024-06-01T00:00:00.000Z');
  });

  it('survives reopening the file (migrations apply once)', async () => {
    await session('ws_a');
    await store.appendMessage('ws_a', { kind: 'notice', text: 'x' });
    db.close();
    db = openSqlite(join(dir, 'loa.sqlite'));
    store = createSqliteWebchatStore(db);
    expect((await store.appendMessage('ws_a', { kind: 'notice', text: 'y' })).message.seq).toBe(2);
  });
});
