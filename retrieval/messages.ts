/** Fixed Vietnamese replies for questions Loa does not answer from documents. */
import type { AbstainReason } from './types.ts';

/** The reply for an abstention; every one says where the question goes next. */
export function abstainMessage(reason: AbstainReason, agencyName = 'cơ quan'): string {
  const handoff = `Câu hỏi của bạn sẽ được chuyển tới cán bộ phát ngôn của ${agencyName} để trả lời.`;
  switch (reason) {
    case 'empty_question':
      return `Bạn vui lòng nêu rõ câu hỏi hơn (ví dụ: “Đăng ký thường trú cần những giấy tờ gì?”) để tôi tìm trong các văn bản chính thức. Nếu cần, câu hỏi sẽ được chuyển tới cán bộ phát ngôn của ${agencyName}.`;
    case 'out_of_scope':
      return `Xin lỗi, câu hỏi này nằm ngoài phạm vi các văn bản chính thức mà tôi được cung cấp, nên tôi không thể trả lời. Nếu bạn cần ${agencyName} hỗ trợ, câu hỏi sẽ được chuyển tới cán bộ phát ngôn để xem xét.`;
    case 'personal_case':
      return `Tôi không thể tra cứu hồ sơ hay trường hợp cụ thể của từng người. ${handoff} Bạn vui lòng chuẩn bị sẵn mã hồ sơ hoặc giấy biên nhận (nếu có).`;
    case 'prompt_injection':
      return `Tôi chỉ trả lời câu hỏi về chính sách, pháp luật dựa trên văn bản chính thức của ${agencyName} và không thay đổi cách làm việc này. Nếu bạn có câu hỏi khác, câu hỏi sẽ được chuyển tới cán bộ phát ngôn.`;
    case 'no_knowledge':
      return `Hiện chưa có văn bản chính thức nào để tra cứu. ${handoff}`;
    case 'low_confidence':
    default:
      return `Xin lỗi, tôi chưa tìm thấy quy định đủ rõ trong các văn bản chính thức để trả lời chính xác câu hỏi này. ${handoff}`;
  }
}
