import { z } from 'zod';
import { phraseKey } from '../ports.ts';

/** Syllables per phrase: enough for "đăng ký thường trú cho con", short enough to stay a phrase. */
export const MAX_SYLLABLES = 6;
export const MAX_PHRASE_CHARS = 60;
export const MAX_PHRASES = 10;
export const MAX_NOTE_CHARS = 300;

/** NFC, lower case, single spaces: the form phrases are stored and compared in. */
export const normalisePhrase = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/gu, ' ').trim();

/** A syllable: letters (with their accents), digits, and inner hyphens ("covid-19"). */
const SYLLABLE = /^[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*$/u;

const phrase = z
  .string()
  .max(MAX_PHRASE_CHARS * 2)
  .transform(normalisePhrase)
  .pipe(
    z
      .string()
      .min(1, 'Cụm từ không được để trống')
      .max(MAX_PHRASE_CHARS, `Cụm từ dài quá ${MAX_PHRASE_CHARS} ký tự`)
      .refine((p) => p.split(' ').every((s) => SYLLABLE.test(s)), 'Chỉ dùng chữ, số và dấu gạch nối giữa các tiếng')
      .refine((p) => p.split(' ').length <= MAX_SYLLABLES, `Mỗi cụm từ tối đa ${MAX_SYLLABLES} tiếng`),
  );

const phrases = (what: string) =>
  z
    .array(phrase)
    .min(1, `Cần ít nhất một ${what}`)
    .max(MAX_PHRASES, `Tối đa ${MAX_PHRASES} cụm từ`)
    .superRefine((list, ctx) => {
      // Compared without diacritics, as questions are matched: "gửi xe" and "gui xe" are one phrase.
      const keys = list.map(phraseKey);
      keys.forEach((k, i) => {
        if (keys.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `“${list[i]}” bị lặp` });
      });
    });

export const synonymInputSchema = z
  .object({
    everyday: phrases('cách nói thông thường').describe(`Everyday phrases citizens use, 1–${MAX_SYLLABLES} syllables each (stored NFC, lower case)`),
    legal: phrases('thuật ngữ pháp lý').describe(`The legal phrases the documents use for them, 1–${MAX_SYLLABLES} syllables each`),
    note: z
      .string()
      .transform((s) => s.normalize('NFC').trim())
      .pipe(z.string().max(MAX_NOTE_CHARS))
      .optional()
      .transform((s) => (s ? s : undefined))
      .describe('Why, or where the wording comes from'),
  })
  .superRefine((v, ctx) => {
    const everyday = new Set(v.everyday.map(phraseKey));
    v.legal.forEach((p, i) => {
      if (everyday.has(phraseKey(p))) ctx.addIssue({ code: 'custom', path: ['legal', i], message: `“${p}” có ở cả hai bên` });
    });
  });

export const synonymIdParams = z.object({ id: z.string().min(1).max(64) });

export const synonymSchema = z.object({
  id: z.string(),
  everyday: z.array(z.string()),
  legal: z.array(z.string()),
  note: z.string().optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});

export const synonymListSchema = z.object({
  items: z.array(synonymSchema).describe('Newest change first'),
  total: z.number().int(),
  builtIn: z.number().int().describe('Entries of the built-in lexicon, used as well'),
});
