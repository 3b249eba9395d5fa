import { readFileSync } from 'node:fs';
import { fold as foldDiacritics } from '../../domain/fold.ts';

/** The list shipped next to this file: common passwords and base words, one per line. */
const LIST_FILE = new URL('./common-passwords.txt', import.meta.url);

/** Lower case, without Vietnamese accents (đ → d), so "Mật khẩu" and "matkhau" compare equal. */
function fold(s: string): string {
  return foldDiacritics(s).toLowerCase().replace(/\s+/gu, '');
}

/** Strips the digits and symbols people put around a word ("Admin@2026" → "admin"). */
const core = (folded: string) => folded.replace(/^[^\p{L}]+/u, '').replace(/[^\p{L}]+$/u, '');

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(LIST_FILE, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map(fold),
  );
  return common;
}

/** True for a run of one character or a straight sequence ("aaaaaaaaaa", "abcdefghij", "9876543210"). */
function isRunOrSequence(s: string): boolean {
  const codes = [...s].map((c) => c.codePointAt(0) ?? 0);
  const steps = new Set(codes.slice(1).map((c, i) => c - codes[i]));
  return steps.size === 1 && [...steps].every((d) => Math.abs(d) <= 1);
}

/**
 * Why a new password is refused, or undefined when it is acceptable (its length is checked
 * separately): a common or breached password, one built from a common word with digits
 * and symbols around it ("Matkhau@2026", "admin@123"), digits only, or a run/sequence.
 */
export function weakPasswordReason(password: string): string | undefined {
  const folded = fold(password);
  const list = commonPasswords();
  if (list.has(folded)) return 'Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán.';
  const word = core(folded);
  if (word === '' && folded.length < 16) return 'Mật khẩu chỉ gồm chữ số hoặc ký hiệu thì dễ bị đoán: hãy dùng một cụm từ dài.';
  if (list.has(word)) return `Mật khẩu dựa trên từ phổ biến "${word}" (thêm số hay ký hiệu không đủ): hãy dùng một cụm từ dài, khó đoán.`;
  if (isRunOrSequence(folded)) return 'Mật khẩu là một dãy ký tự lặp lại hoặc liên tiếp, dễ bị đoán.';
  return undefined;
}
