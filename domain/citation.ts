/** Citations: the exact passages an answer relies on, as citizens and officers see them. */
import type { DocumentStatus } from './document.ts';

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
