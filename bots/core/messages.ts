/**
 * Everything Loa says to citizens on its own (answers come from retrieval, replies from
 * spokespeople). Short, warm and clear; written for a phone screen.
 */

/** First contact (follow, /start, a greeting): what Loa does and how to reach a person. */
export function welcomeText(agencyName: string): string {
  return [
    `Xin chào! Loa là trợ lý trả lời câu hỏi về chính sách, pháp luật của ${agencyName}.`,
    'Bạn cứ nhắn câu hỏi bằng lời của mình, có dấu hay không dấu đều được. Ví dụ: "Làm căn cước công dân cần giấy tờ gì?"',
    'Mỗi câu trả lời đều ghi rõ nguồn: văn bản, điều, khoản chính thức.',
    'Khi cần gặp người thật, bạn nhắn "gặp cán bộ": câu hỏi sẽ được chuyển đến cán bộ phát ngôn.',
  ].join('\n\n');
}

/** `/help`, "hướng dẫn". */
export function helpText(agencyName: string): string {
  return [
    'Cách hỏi Loa:',
    '• Nhắn một câu hỏi về thủ tục, chính sách; càng cụ thể càng dễ trả lời. Muốn hỏi thêm, cứ nhắn tiếp.',
    '• Loa trả lời kèm nguồn trích dẫn (văn bản, điều, khoản). Khi cần chắc chắn, hãy đọc văn bản gốc.',
    `• Nhắn "gặp cán bộ" để chuyển câu hỏi đến cán bộ phát ngôn của ${agencyName}. Câu trả lời sẽ được gửi lại qua chính kênh này.`,
    '• Sau mỗi câu trả lời, nhắn 👍 nếu hữu ích, 👎 nếu chưa, để Loa làm tốt hơn.',
  ].join('\n');
}

/** The citizen's question is now with a spokesperson. */
export const ESCALATED_TEXT =
  'Câu hỏi của bạn đã được chuyển đến cán bộ phát ngôn. Câu trả lời sẽ được gửi lại cho bạn qua chính kênh này.';

/** Retrieval was not sure enough, so a person will answer. */
export const ESCALATED_AFTER_ABSTAIN_TEXT = `Loa chưa tìm được câu trả lời chắc chắn trong các văn bản chính thức. ${ESCALATED_TEXT}`;

/** Over the escalation cap (per citizen or per network origin): no new escalation is made. */
export const ESCALATION_LIMIT_TEXT =
  'Bạn đã gửi nhiều yêu cầu gặp cán bộ trong thời gian ngắn. Các câu hỏi bạn đã gửi vẫn đang chờ cán bộ trả lời; bạn vui lòng chờ, hoặc gửi lại sau khoảng một giờ nhé.';

/** Retrieval was not sure enough and the escalation cap is reached. */
export const ABSTAINED_OVER_LIMIT_TEXT = `Loa chưa tìm được câu trả lời chắc chắn trong các văn bản chính thức. ${ESCALATION_LIMIT_TEXT}`;

/** Images, stickers, files, voice, video, locations. */
export const NON_TEXT_TEXT =
  'Xin lỗi, hiện Loa mới hiểu được câu hỏi bằng chữ. Bạn vui lòng nhắn câu hỏi dưới dạng tin nhắn văn bản nhé.';

/** Sent once when a citizen goes over the rate limit; the messages over it are not answered. */
export const RATE_LIMITED_TEXT =
  'Bạn đang gửi tin nhắn nhanh quá nên Loa tạm dừng trả lời trong khoảng một phút. Bạn vui lòng chờ một chút rồi gửi lại câu hỏi nhé.';

export const FEEDBACK_THANKS_UP_TEXT = 'Cảm ơn bạn đã góp ý! Rất vui vì câu trả lời có ích cho bạn.';

export const FEEDBACK_THANKS_DOWN_TEXT =
  'Cảm ơn bạn đã góp ý. Nếu cần, bạn có thể nhắn "gặp cán bộ" để được cán bộ phát ngôn hỗ trợ.';

/** After 👎 on an answer: the reasons come as buttons (numbered on Zalo). */
export const FEEDBACK_WHY_TEXT = 'Cảm ơn bạn đã góp ý. Câu trả lời chưa tốt ở điểm nào?';

export const FEEDBACK_REASON_THANKS_TEXT =
  'Cảm ơn bạn! Loa đã ghi nhận để cải thiện câu trả lời. Nếu cần, bạn có thể nhắn "gặp cán bộ" để được cán bộ phát ngôn hỗ trợ.';

/** A clarifying question; the options follow as buttons (numbered on Zalo). */
export const CLARIFY_TEXT = 'Có phải bạn hỏi về:';

/**
 * A polite decline (greeting, thanks, small talk, out of scope …) when retrieval gave no text
 * of its own: what Loa can do; "Gặp cán bộ" follows as a button.
 */
export function declineText(agencyName: string): string {
  return `Loa trả lời câu hỏi về thủ tục, chính sách, pháp luật của ${agencyName}, kèm nguồn văn bản chính thức. Bạn cứ nhắn câu hỏi, hoặc chọn "Gặp cán bộ" nếu cần người hỗ trợ.`;
}

/** A button pressed again, or on a clarifying question that was already answered. */
export const ALREADY_CHOSEN_TEXT = 'Loa đã trả lời lựa chọn này ở trên rồi ạ.';

/** A clarify option pressed after 30 minutes or after another question. */
export const CHOICE_EXPIRED_TEXT = 'Lựa chọn này đã cũ. Bạn vui lòng nhắn lại câu hỏi để Loa trả lời chính xác nhé.';

/** Longest part of the original question quoted above a spokesperson's late reply. */
const QUOTE_MAX_CHARS = 200;

/**
 * A spokesperson's reply, which may arrive hours later: it says who answers and quotes the
 * question, so the citizen knows what it refers to.
 */
export function spokespersonReplyText(agencyName: string, question: string, reply: string): string {
  const q = question.trim();
  const quote = q.length > QUOTE_MAX_CHARS ? `${q.slice(0, QUOTE_MAX_CHARS - 1).trimEnd()}…` : q;
  return `Cán bộ phát ngôn của ${agencyName} trả lời câu hỏi của bạn: "${quote}"\n\n${reply.trim()}`;
}
