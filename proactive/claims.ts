import { normalizeForMatching } from '../bots/core/classify.ts';

/** The four verdicts a spokesperson gives a claim (Cofacts-like). */
export const VERDICTS = ['dung', 'sai', 'gay_hieu_lam', 'chua_co_thong_tin'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_LABEL: Record<Verdict, string> = {
  dung: 'Đúng',
  sai: 'Sai',
  gay_hieu_lam: 'Gây hiểu lầm',
  chua_co_thong_tin: 'Chưa có thông tin chính thức',
};

/** Words that carry no claim ("có phải", "không", "là" …), left out when comparing. */
const STOP = new Set(['co', 'phai', 'khong', 'la', 'thi', 'ma', 'va', 'cua', 'cho', 'nhe', 'a', 'ha', 'vay', 'that', 'dung', 'nghe', 'noi', 'tin', 'don', 'rang', 'o', 'oi', 'minh', 'toi', 'ban', 'loa', 'chuyen', 'tiep']);

/** The claim's content words, in matching form. */
export function claimWords(text: string): string[] {
  return [...new Set(normalizeForMatching(text).split(' ').filter((w) => w && !STOP.has(w)))];
}

/** How much of the smaller claim the other covers (0–1): forwarded messages are longer than the verified claim. */
export function claimSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const small = a.length <= b.length ? a : b;
  const big = new Set(a.length <= b.length ? b : a);
  return small.filter((w) => big.has(w)).length / small.length;
}

/** At least this similarity: the same claim. */
export const SAME_CLAIM = 0.75;

/**
 * True when the message presents something heard as a claim to check ("nghe nói …", "tin
 * đồn …", "có thật không", a forwarded message): without such a marker, "có phải … không" is
 * an ordinary question and goes to retrieval, unless it matches a verified claim.
 */
export function looksLikeClaim(text: string): boolean {
  const w = normalizeForMatching(text);
  return /\b(nghe noi|tin don|co that khong|that khong|dung khong vay|chuyen tiep|forwarded|tren mang (noi|dang)|fake news|tin gia)\b/.test(w);
}
