import type { PipelineContext, TurnDraft } from '../bots/core/context.ts';
import type { InboxItem } from '../storage/inbox-store.ts';
import { SAME_CLAIM, VERDICT_LABEL, claimSimilarity, claimWords, looksLikeClaim } from './claims.ts';
import type { Claim, ProactiveStore } from './ports.ts';

/** The closest known claim and how close it is. */
export function closestClaim(words: readonly string[], claims: readonly Claim[]): { claim: Claim; score: number } | undefined {
  let best: { claim: Claim; score: number } | undefined;
  for (const claim of claims) {
    const score = claimSimilarity(words, claim.words);
    if (!best || score > best.score) best = { claim, score };
  }
  return best;
}

/** The verdict as citizens read it, with the source that decides it. */
export function verdictText(claim: Claim): string {
  const lines = [`Kiểm tra thông tin: "${claim.text}"`, `Kết luận: ${claim.verdict ? VERDICT_LABEL[claim.verdict] : ''}`];
  if (claim.note) lines.push(claim.note);
  if (claim.sourceTitle) lines.push(`Nguồn chính thức: ${claim.sourceTitle}${claim.sourceUrl ? ` — ${claim.sourceUrl}` : ''}`);
  return lines.join('\n');
}

export const CLAIM_PASSED_TEXT =
  'Loa chưa có kết luận chính thức về thông tin này và đã chuyển tới cơ quan để kiểm tra. Bạn sẽ nhận được câu trả lời tại đây khi có kết luận.';

/**
 * Step 4 for a claim to check: a message like a verified claim gets its verdict and source
 * (reused as FAQs are); one that looks like a rumour ("nghe nói …", a forwarded message) is
 * grouped with similar ones and passed to the agency. Anything else is left to retrieval
 * (undefined): "có phải nộp ở xã không?" is an ordinary question.
 */
export async function respondToClaim(ctx: PipelineContext, store: ProactiveStore, item: InboxItem, text: string): Promise<TurnDraft | undefined> {
  const words = claimWords(text);
  // Short messages ("xem thêm", "2") are never claims, and would match any claim containing them.
  if (words.length < 4) return undefined;
  const now = ctx.clock();
  const claims = await store.claims();
  const best = closestClaim(words, claims);
  const same = best && best.score >= SAME_CLAIM ? best.claim : undefined;
  const report = { channel: item.channel, userId: item.userId, text };
  if (same?.status === 'verified') {
    await store.reportClaim(same.id, report, now);
    return { intent: 'claim_check', replyKind: 'notice', replyText: verdictText(same) };
  }
  if (!same && !looksLikeClaim(text)) return undefined;
  const claim = same ?? (await store.createClaim(text.trim().slice(0, 500), words, now));
  await store.reportClaim(claim.id, report, now);
  return { intent: 'claim_check', replyKind: 'notice', replyText: CLAIM_PASSED_TEXT };
}
