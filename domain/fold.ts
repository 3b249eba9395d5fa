/**
 * Diacritic folding, the one implementation: removes every Vietnamese diacritic (the
 * combining marks U+0300–U+036F after NFD) and maps đ→d, Đ→D, keeping case:
 * "Đăng ký thường trú" → "Dang ky thuong tru". Retrieval indexes and matches in this form;
 * callers that compare keys lower-case the result themselves.
 * (`remove-accents` leaves ỹ and others unchanged, hence our own.)
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}
