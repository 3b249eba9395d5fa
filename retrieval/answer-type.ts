/**
 * What kind of answer a question asks for (a place, a time or duration, a number of hours,
 * an amount, an age, a list of papers, a penalty, a condition), what kind of question a
 * section heading answers, and what kinds of answer a passage can give at all.
 *
 * Two uses: a passage whose heading asks the citizen's kind of question is the better
 * section of its document ("Đăng ký kết hôn ở đâu" for "đăng ký kết hôn ở đâu", not "Lệ phí
 * đăng ký kết hôn"); and a passage that contains nothing of the kind asked for (no hour for
 * "mấy giờ", no number for "bao nhiêu tiền", no authority for "ở đâu") does not answer the
 * question, however many words it shares with it.
 *
 * Everything matches on folded syllables, so text typed without diacritics works too.
 */
import { expandShorthand } from './shorthand.ts';
import { tokenize } from './vietnamese.ts';
import { fold } from '../domain/fold.ts';

/** Kinds of answer, as bits. */
export const ANSWER = {
  place: 1,
  time: 2,
  hours: 4,
  amount: 8,
  age: 16,
  documents: 32,
  penalty: 64,
  condition: 128,
} as const;
export type AnswerKind = keyof typeof ANSWER;

/** Kinds whose absence from a passage means it cannot answer (the others are about topic, not content). */
export const CONTENT_KINDS = ANSWER.place | ANSWER.time | ANSWER.hours | ANSWER.amount | ANSWER.age;

const phrases = (list: string) => list.split(',').map((p) => ` ${expandShorthand(tokenize(p.trim())).map(fold).join(' ')} `);

/** Question wording per kind (folded, matched anywhere in the question). */
const QUESTION_CUES: [number, string[]][] = [
  [ANSWER.place, phrases('ở đâu, nơi nào, chỗ nào, đến đâu, ra đâu, tới đâu, tại đâu, cơ quan nào, ở chỗ nào, nộp đâu, làm đâu, báo ai, báo cho ai, gửi cho ai, gửi ai, báo tin cho ai, tòa án nào, ủy ban nào, ở cơ quan nào')],
  [ANSWER.hours, phrases('mấy giờ, bao nhiêu giờ, mấy tiếng, bao nhiêu tiếng, giờ nào, giờ làm việc, giờ hành chính, mở cửa lúc')],
  [
    ANSWER.time,
    phrases(
      'bao lâu, mấy ngày, bao nhiêu ngày, mấy tháng, bao nhiêu tháng, mấy năm, bao nhiêu năm, mấy tuần, bao nhiêu tuần, thời hạn, thời hiệu, khi nào, bao giờ, lúc nào, ngày nào, hạn chót, hết hạn khi nào, trong vòng bao lâu, mất bao lâu, mấy hôm, bao nhiêu hôm',
    ),
  ],
  [
    ANSWER.amount,
    phrases(
      'bao nhiêu tiền, hết bao nhiêu, mất bao nhiêu, tốn bao nhiêu, lệ phí, chi phí, phí bao nhiêu, mức phạt, phạt bao nhiêu, bị phạt bao nhiêu, mức đóng, đóng bao nhiêu, mức hưởng, hưởng bao nhiêu, được bao nhiêu, bao nhiêu phần trăm, mấy phần trăm, mức lương, lương bao nhiêu, trả bao nhiêu, có mất tiền, mất tiền không, mất phí, có mất phí, tối thiểu bao nhiêu, tối đa bao nhiêu, là bao nhiêu',
    ),
  ],
  [ANSWER.age, phrases('mấy tuổi, bao nhiêu tuổi, độ tuổi, đủ tuổi, tuổi nào')],
  [ANSWER.documents, phrases('giấy tờ gì, giấy tờ nào, giấy tờ j, hồ sơ gì, hồ sơ gồm, hồ sơ cần, hồ sơ nào, cần những gì, mang theo gì, chuẩn bị gì, cần giấy, những giấy tờ, hồ sơ hưởng, hồ sơ xin')],
  [ANSWER.penalty, phrases('bị phạt, mức phạt, xử phạt, bị xử lý, xử lý thế nào, xử lý như thế nào, phạt thế nào, phạt như thế nào, bị phạt không, có bị phạt, bị xử lý sao')],
  [ANSWER.condition, phrases('điều kiện, ai được, ai phải, trường hợp nào, đối tượng nào, những ai, đủ điều kiện')],
];

/** Heading wording per kind: what question a section answers. */
const HEADING_CUES: [number, string[]][] = [
  [ANSWER.place, phrases('ở đâu, nơi nộp, nơi nào, báo tin, cơ quan nào')],
  [ANSWER.hours, phrases('giờ làm việc, số giờ, thời giờ, giờ làm')],
  [ANSWER.time, phrases('thời hạn, bao lâu, thời gian, khi nào, thời hiệu, có giá trị từ khi nào, mấy ngày, bao nhiêu ngày')],
  [ANSWER.amount, phrases('lệ phí, chi phí, mức đóng, mức hưởng, mức lương, tiền, bao nhiêu, phí, mức phạt')],
  [ANSWER.age, phrases('độ tuổi, bao nhiêu tuổi, mấy tuổi, tuổi nghỉ hưu, tuổi được, tuổi thì, tuổi phải')],
  [ANSWER.documents, phrases('hồ sơ, giấy tờ')],
  [ANSWER.penalty, phrases('xử lý, xử phạt, bị phạt, mức phạt, vi phạm')],
  [ANSWER.condition, phrases('điều kiện, ai được, ai phải, những trường hợp, trường hợp nào, đối tượng')],
];

const has = (text: string, list: readonly string[]) => list.some((p) => text.includes(p));

/** Folded, space-padded form of a text for cue matching (chat shorthand expanded: "bn" → "bao nhiêu"). */
export function foldedForCues(text: string): string {
  return ` ${expandShorthand(tokenize(text)).map(fold).join(' ')} `;
}

function cuesOf(folded: string, table: readonly [number, string[]][]): number {
  let bits = 0;
  for (const [bit, list] of table) if (has(folded, list)) bits |= bit;
  return bits;
}

/** The kinds of answer a question asks for (bits of ANSWER). */
export function questionKinds(question: string): number {
  return cuesOf(foldedForCues(question), QUESTION_CUES);
}

/** The kinds of question a section heading answers (bits of ANSWER). */
export function headingKinds(heading: string | undefined): number {
  return heading ? cuesOf(foldedForCues(heading), HEADING_CUES) : 0;
}

/** A regex of whole words (letters and digits never continue them), case-insensitive. */
const words = (alternatives: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'iu');

const DURATION = words(
  '\\d+\\s*(?:ngày|tháng|năm|tuần|giờ|phút|hôm)|\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?|ngay|không thời hạn|không có thời hạn|vô thời hạn|không quá|trong thời hạn|kể từ|trước khi|sau khi|trước ngày|sau ngày|từ ngày|đến hết ngày|hằng năm|hằng tháng|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi)\\s+(?:ngày|tháng|năm|tuần)',
);
const HOURS = words('\\d+\\s*(?:giờ|h|tiếng)|giờ hành chính|buổi sáng|buổi chiều|ban đêm|ca làm');
const NUMBER = words('\\d+|một|hai|ba|bốn|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn|triệu|tỷ|tỉ|miễn|miễn phí|phần trăm|toàn bộ|không (?:phải )?(?:nộp|đóng|thu|mất)');
/** Words that name an authority or a place where something is done (old and new tone placement). */
const PLACE = words(
  'tại|nơi|ủy ban|uỷ ban|ubnd|công an|tòa án|toà án|cơ quan|trung tâm|sở|bộ phận|cổng|bưu điện|bưu chính|văn phòng|chi nhánh|trực tuyến|ứng dụng|vneid|cấp xã|cấp tỉnh|cấp huyện|đồn|trụ sở|địa chỉ|bệnh viện|trường|đại lý|tổ chức|chủ tịch|phường|xã',
);
const AGE = words('\\d+\\s*tuổi|(?:mười|mươi|hai|ba|bốn|năm|sáu)\\s+(?:\\p{L}+\\s+)?tuổi|thành niên|tuổi nghỉ hưu|độ tuổi');

/** The kinds of answer a passage can give (content kinds only). */
export function evidenceKinds(raw: string): number {
  // Some corpora store decomposed accents; the word lists are composed.
  const text = raw.normalize('NFC');
  let bits = 0;
  if (PLACE.test(text)) bits |= ANSWER.place;
  if (DURATION.test(text)) bits |= ANSWER.time;
  if (HOURS.test(text)) bits |= ANSWER.hours;
  if (NUMBER.test(text)) bits |= ANSWER.amount;
  if (AGE.test(text)) bits |= ANSWER.age;
  return bits;
}

/** Number of bits set (kinds shared). */
export function kindCount(bits: number): number {
  let n = 0;
  for (let b = bits; b; b &= b - 1) n++;
  return n;
}
