import { postWebchatMessage } from '../support/webchat-client.ts';
import { webchatSay, webchatTranscript, type Citizen, type StaffClient, type TestLoa } from './harness.ts';

/**
 * Helpers for the review queue and synonym tests: a tiny knowledge base, answers and 👎 on
 * the web chat. Only Điều 1 says "trông giữ xe"; "xe" and "gửi" are spread over the others,
 * so "gửi xe" finds Điều 1 only through a synonym.
 */

export const REVIEW_DOCUMENT = `---
title: Quy định về quản lý trật tự đô thị phường Thử Nghiệm
number: 07/2025/QĐ-UBND
doc_type: Quyết định
issuer: Ủy ban nhân dân phường Thử Nghiệm
status: in_force
---

Điều 1. Điểm trông giữ xe
Điểm trông giữ xe của phường đặt tại sân sau trụ sở, mở cửa từ 6 giờ đến 22 giờ hằng ngày.

Điều 2. Gửi hồ sơ đăng ký hộ kinh doanh
Công dân gửi hồ sơ đăng ký hộ kinh doanh tại bộ phận một cửa của phường hoặc qua cổng dịch vụ công.

Điều 3. Xe cứu thương và xe chữa cháy
Xe cứu thương, xe chữa cháy được ưu tiên khi lưu thông trên các tuyến phố của phường.

Điều 4. Đăng ký xe
Chủ xe đăng ký xe tại công an phường theo quy định của Bộ Công an.
`;

/** Uploads a document as `admin` (the console's own upload route). */
export async function uploadDocument(admin: StaffClient, name: string, text: string): Promise<void> {
  const res = await fetch(admin.url('/documents'), {
    method: 'POST',
    headers: { cookie: admin.cookie, 'X-CSRF-Token': admin.csrfToken, 'Content-Type': 'application/octet-stream', 'X-Filename': encodeURIComponent(name) },
    body: new Uint8Array(Buffer.from(text, 'utf8')),
  });
  if (res.status !== 200 && res.status !== 201) throw new Error(`upload: HTTP ${res.status} ${await res.text()}`);
}

/** A citizen asks on the web chat; resolves with the answer id of Loa's reply. */
export async function askedAndAnswered(t: TestLoa, citizen: Citizen, question: string): Promise<string> {
  await webchatSay(t.url, citizen, question);
  await t.loa.core.drain();
  const answerId = (await webchatTranscript(t.url, citizen)).filter((m) => m.answerId).at(-1)?.answerId;
  if (!answerId) throw new Error(`no answer to "${question}"`);
  return answerId;
}

/** 👎 on the answer, then the reason typed as a citizen would. */
export async function thumbsDown(t: TestLoa, citizen: Citizen, answerId: string, reasonWords: string): Promise<void> {
  const res = await postWebchatMessage(t.url, citizen, { clientMessageId: `fb-${answerId}`, feedback: { answerId, value: 'down' } });
  if (res.status !== 202) throw new Error(`feedback: HTTP ${res.status}`);
  await t.loa.core.drain();
  await webchatSay(t.url, citizen, reasonWords);
  await t.loa.core.drain();
}

