/**
 * Checks a message before retrieval: empty, greeting or small talk, a topic no policy
 * document covers (gold prices, weather, football, lottery…), a citizen's own case
 * ("hồ sơ của tôi đến đâu rồi"), or an attempt to override the assistant's instructions.
 * Matching is on folded syllables so messages typed without diacritics are caught too.
 */
import type { AbstainReason } from '../domain/answer.ts';
import { fold } from '../domain/fold.ts';
import { expandShorthand } from './shorthand.ts';
import { tokenize } from './vietnamese.ts';

const compile = (list: readonly string[]) => list.map((p) => ` ${expandShorthand(tokenize(p)).map(fold).join(' ')} `);

/** Greetings, thanks and chit-chat: a message made only of these is not a question. */
const SMALL_TALK = compile([
  'xin chào', 'chào bạn', 'chào anh', 'chào chị', 'chào em', 'chào ad', 'chào admin', 'chào shop', 'chào', 'hello', 'hi', 'helo',
  'alo', 'a lô', 'hey', 'cảm ơn', 'cám ơn', 'thank you', 'thanks', 'tks', 'ok', 'oke', 'okay', 'vâng', 'dạ', 'ừ', 'ừm', 'uh',
  'haha', 'hihi', 'hehe', 'tạm biệt', 'bye', 'good morning', 'chúc ngủ ngon', 'chúc một ngày tốt lành', 'bạn là ai',
  'bạn tên gì', 'bạn tên là gì', 'bạn có khỏe không', 'khỏe không', 'bạn khỏe không', 'bạn ơi', 'ad ơi', 'admin ơi', 'ơi',
  'có ai không', 'có ai ở đó không', 'bạn có đó không', 'test', 'thử', 'bạn làm được gì', 'bạn giúp gì được',
  'bạn là người hay máy', 'bạn có phải người không', 'mình', 'tôi', 'em', 'ạ', 'nhé', 'nha', 'với', 'nhỉ', 'vậy', 'à',
  'buổi sáng', 'buổi tối', 'tốt lành', 'rất vui được gặp', 'vui', 'gặp', 'bạn', 'nhiều', 'rất nhiều', 'lắm', 'thank',
  'tạm biệt nhé', 'hẹn gặp lại', 'chúc', 'sức khỏe', 'ạ ạ',
]);

/** Topics no policy document answers. Each only counts when the corpus barely mentions it. */
const OFF_TOPIC = compile([
  'giá vàng', 'vàng sjc', 'vàng 9999', 'vàng miếng', 'thời tiết', 'dự báo thời tiết', 'nhiệt độ hôm nay', 'trời mưa không',
  'bóng đá', 'trận đấu', 'tỷ số', 'đội tuyển', 'world cup', 'ngoại hạng anh', 'champions league',
  'xổ số', 'xsmb', 'xskt', 'kết quả xổ số', 'lô đề', 'số đề', 'vietlott', 'chứng khoán', 'cổ phiếu', 'bitcoin', 'tiền ảo',
  'tiền điện tử', 'tỷ giá', 'giá đô', 'giá usd', 'giá xăng', 'nấu ăn', 'công thức nấu', 'món ăn', 'nấu món', 'nhà hàng nào',
  'quán ăn', 'quán cà phê', 'bài hát', 'ca sĩ', 'diễn viên', 'phim hay', 'phim gì hay', 'tử vi', 'cung hoàng đạo',
  'xem bói', 'phong thủy', 'chơi game', 'trò chơi điện tử', 'người yêu', 'crush', 'tán gái', 'thất tình', 'giảm cân',
  'làm đẹp', 'mỹ phẩm', 'kể chuyện cười', 'truyện cười', 'câu đố', 'làm thơ', 'viết thơ', 'giải toán', 'bài tập về nhà',
  'code python', 'lập trình', 'iphone', 'điện thoại nào tốt', 'mua xe gì', 'du lịch ở đâu đẹp', 'đi chơi ở đâu',
]);

/** Asks about the progress of the citizen's own file: a person must look it up. */
const PERSONAL_OWNER = compile([
  'của tôi', 'của em', 'của mình', 'của cháu', 'của con', 'của bố tôi', 'của mẹ tôi', 'nhà tôi', 'nhà em', 'nhà mình',
  'tôi đã nộp', 'em đã nộp', 'mình đã nộp', 'tôi nộp', 'em nộp', 'mình nộp', 'tôi đã gửi', 'em đã gửi', 'đã nộp hồ sơ',
  'đã làm hồ sơ', 'tôi làm', 'em làm', 'mình làm', 'tôi đăng ký', 'em đăng ký', 'mình đăng ký',
]);
const PERSONAL_STATUS = compile([
  'đến đâu rồi', 'tới đâu rồi', 'đến đâu', 'tới đâu', 'xong chưa', 'đã xong chưa', 'được duyệt chưa', 'duyệt chưa',
  'bao giờ có', 'khi nào có', 'bao giờ xong', 'khi nào xong', 'bao giờ nhận', 'khi nào nhận', 'bao giờ được cấp', 'khi nào được cấp',
  'sao chưa', 'vẫn chưa', 'chưa thấy', 'chưa nhận được', 'lâu vậy', 'lâu thế', 'kết quả chưa', 'chưa có kết quả',
  'xử lý chưa', 'giải quyết chưa', 'trả kết quả chưa',
]);
/** What a personal-case question is about: a file, an application, a card being issued. */
const FILE_NOUN = compile(['hồ sơ', 'đơn', 'giấy tờ', 'thẻ', 'căn cước', 'cccd', 'hộ chiếu', 'sổ', 'giấy phép', 'bằng lái', 'kết quả', 'thủ tục', 'yêu cầu', 'giấy chứng nhận', 'khiếu nại', 'phản ánh']);
const CASE_LOOKUP = compile(['mã hồ sơ', 'số biên nhận', 'mã biên nhận', 'tra cứu hồ sơ của', 'kiểm tra hồ sơ của', 'tiến độ hồ sơ', 'tình trạng hồ sơ', 'trạng thái hồ sơ']);

/** Attempts to override instructions or change the assistant's role. */
const INJECTION = compile([
  'bỏ qua hướng dẫn', 'bỏ qua các hướng dẫn', 'bỏ qua mọi hướng dẫn', 'bỏ qua tất cả hướng dẫn', 'bỏ qua chỉ dẫn',
  'bỏ qua các chỉ dẫn', 'bỏ qua quy tắc', 'bỏ qua các quy tắc', 'bỏ qua lệnh', 'bỏ qua mọi lệnh', 'bỏ qua yêu cầu trước',
  'bỏ qua những gì', 'quên hướng dẫn', 'quên các hướng dẫn', 'quên hết hướng dẫn', 'quên mọi hướng dẫn', 'quên đi hướng dẫn',
  'quên quy tắc', 'không cần tuân theo', 'đừng tuân theo', 'không tuân theo hướng dẫn', 'ignore previous', 'ignore all',
  'ignore the above', 'ignore your instructions', 'ignore instructions', 'disregard previous', 'disregard all',
  'forget your instructions', 'forget previous instructions', 'you are now', 'act as', 'pretend to be', 'pretend you are',
  'system prompt', 'lời nhắc hệ thống', 'jailbreak', 'developer mode', 'chế độ nhà phát triển', 'do anything now',
  'bạn là chatgpt', 'bạn là gpt', 'bạn là chat gpt', 'bạn bây giờ là', 'từ giờ bạn là', 'từ bây giờ bạn là', 'hãy đóng vai',
  'đóng vai là', 'hãy giả vờ', 'giả vờ là', 'giả sử bạn là', 'hãy nhập vai', 'tiết lộ hướng dẫn', 'tiết lộ prompt',
  'in ra prompt', 'cho xem prompt', 'hướng dẫn hệ thống', 'new instructions', 'override', 'sudo',
]);

/** True when a text is only greetings, thanks or chit-chat ("chào ad", "em cảm ơn ạ"). */
export function isSmallTalk(text: string): boolean {
  const tokens = expandShorthand(tokenize(text)).map(fold);
  return tokens.length > 0 && withoutSmallTalk(` ${tokens.join(' ')} `) === '';
}

export interface GuardVerdict {
  reason: AbstainReason;
  detail: string;
}

function matches(text: string, patterns: readonly string[]): string | undefined {
  return patterns.find((p) => text.includes(p));
}

/** Removes every small-talk phrase; what is left is the substance of the message. */
function withoutSmallTalk(text: string): string {
  let t = text;
  for (const p of [...SMALL_TALK].sort((a, b) => b.length - a.length)) {
    while (t.includes(p)) t = t.replace(p, ' ');
  }
  return t.trim();
}

/**
 * Decides whether a message must not be answered from documents. `corpusMentions` tells how
 * many entries contain a folded phrase, so a topic the agency's documents do cover is kept.
 */
export function checkMessage(message: string, corpusMentions: (foldedPhrase: string) => number): GuardVerdict | undefined {
  const tokens = expandShorthand(tokenize(message)).map(fold);
  if (tokens.length === 0 || !/\p{L}/u.test(message)) return { reason: 'empty_question', detail: 'no words' };
  const text = ` ${tokens.join(' ')} `;
  const injection = matches(text, INJECTION);
  if (injection) return { reason: 'prompt_injection', detail: injection.trim() };
  const rest = withoutSmallTalk(text);
  const restTokens = rest ? rest.split(/\s+/) : [];
  if (restTokens.length === 0) return { reason: 'out_of_scope', detail: 'small talk' };
  if (tokens.length < 2) return { reason: 'empty_question', detail: 'too short' };
  const caseLookup = matches(text, CASE_LOOKUP);
  const owner = matches(text, PERSONAL_OWNER);
  const status = matches(text, PERSONAL_STATUS);
  if (caseLookup || (owner && status && matches(text, FILE_NOUN))) return { reason: 'personal_case', detail: (caseLookup ?? `${owner} … ${status}`).trim() };
  const topic = matches(text, OFF_TOPIC);
  if (topic && corpusMentions(topic.trim()) < 2) return { reason: 'out_of_scope', detail: topic.trim() };
  return undefined;
}
