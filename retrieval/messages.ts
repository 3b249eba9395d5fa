/** Fixed Vietnamese replies for questions Loa does not answer from documents. */
import type { AbstainReason } from '../domain/answer.ts';

/** The reply for an abstention; every one says where the question goes next. */
export function abstainMessage(reason: AbstainReason, agencyName = 'cơ quan'): string {
  const handoff = `Câu hỏi của bạn sẽ được chuyển tới cán bộ phát ngôn của ${agencyName} để trả lời.`;
  // Declined messages create no escalation: the citizen decides whether to ask for a person.
  const offer = `Nếu bạn cần cán bộ của ${agencyName} hỗ trợ, hãy chọn “Gặp cán bộ” (hoặc gõ “gặp cán bộ”).`;
  switch (reason) {
    case 'empty_question':
      return `Bạn vui lòng nêu rõ câu hỏi hơn (ví dụ: “Đăng ký thường trú cần những giấy tờ gì?”) để tôi tìm trong các văn bản chính thức. ${offer}`;
    case 'out_of_scope':
      return `Xin lỗi, câu hỏi này nằm ngoài phạm vi các văn bản chính thức mà tôi được cung cấp, nên tôi không thể trả lời. Tôi trả lời các câu hỏi về chính sách, pháp luật và thủ tục của ${agencyName}. ${offer}`;
    case 'personal_case':
      return `Tôi không thể tra cứu hồ sơ hay trường hợp cụ thể của từng người. ${offer} Khi gặp cán bộ, bạn chuẩn bị sẵn mã hồ sơ hoặc giấy biên nhận (nếu có).`;
    case 'prompt_injection':
      return `Tôi chỉ trả lời câu hỏi về chính sách, pháp luật dựa trên văn bản chính thức của ${agencyName} và không thay đổi cách làm việc này. Bạn hãy đặt câu hỏi cụ thể về chính sách, thủ tục. ${offer}`;
    case 'no_knowledge':
      return `Hiện chưa có văn bản chính thức nào để tra cứu. ${handoff}`;
    case 'low_confidence':
    default:
      return `Xin lỗi, tôi chưa tìm thấy quy định đủ rõ trong các văn bản chính thức để trả lời chính xác câu hỏi này. ${handoff}`;
  }
}
