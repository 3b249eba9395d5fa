/** Citations: the exact passages an answer relies on, as citizens and officers see them. */
import { z } from 'zod';
import { DOCUMENT_STATUSES, type DocumentStatus } from './document.ts';

/** One cited source in an answer. `id` is the unit's citation id. */
export interface Citation {
  id: string;
  /** Document title, e.g. "Luật Cư trú". */
  title: string;
  /** "Điều 20, Khoản 2". */
  section: string;
  /** Số hiệu when known. */
  number?: string;
  url?: string;
  status: DocumentStatus;
  /** The exact passage the answer relies on. */
  quote: string;
  score: number;
  /** True when the source is a plain-language summary or an approved FAQ, not official text. */
  isSummary?: boolean;
  /** 'faq' when the citation is an approved agency answer. */
  kind?: 'document' | 'faq';
}

/** The JSON shape of a `Citation` in every API response (ask API, console). */
export const citationSchema = z.object({
  id: z.string(),
  title: z.string(),
  section: z.string(),
  number: z.string().optional(),
  url: z.string().optional(),
  status: z.enum(DOCUMENT_STATUSES),
  quote: z.string(),
  score: z.number(),
  isSummary: z.boolean().optional(),
  kind: z.enum(['document', 'faq']).optional(),
});
