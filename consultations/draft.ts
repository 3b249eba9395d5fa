import { extractText, formatOf } from '../knowledge/formats.ts';
import { parseLegalStructure } from '../knowledge/parse/legal-structure.ts';
import type { KnowledgeUnit } from '../domain/document.ts';
import type { DraftUnit } from './types.ts';

/** A draft that could not be read: the officer gets the reason, nothing is stored. */
export class UnreadableDraftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableDraftError';
  }
}

/** The draft's title (from the file or its name) and its units. */
export interface ParsedDraft {
  title: string;
  units: DraftUnit[];
}

/**
 * Reads a draft in any format Loa ingests (Markdown, text, HTML, DOCX, PDF) with the same
 * parser as official documents, and keeps the units citizens comment on: each article and
 * each clause (a draft without articles: its passages).
 */
export async function parseDraft(name: string, bytes: Uint8Array): Promise<ParsedDraft> {
  const found = formatOf(name);
  if ('unsupported' in found) throw new UnreadableDraftError(`Không đọc được tệp dự thảo: ${found.unsupported}.`);
  if (found.format === 'jsonl') throw new UnreadableDraftError('Dự thảo phải là một văn bản (DOCX, PDF, Markdown, HTML hoặc văn bản thường), không phải JSONL.');
  let extracted;
  try {
    extracted = await extractText(found.format, bytes);
  } catch (err) {
    throw new UnreadableDraftError(`Không đọc được tệp dự thảo: ${(err as Error).message}`);
  }
  if (!extracted.text.trim()) throw new UnreadableDraftError('Tệp dự thảo không có nội dung.');
  const { units } = parseLegalStructure(extracted.text, 'draft', { headings: extracted.headings });
  const draftUnits = units.map(toDraftUnit).filter((u): u is DraftUnit => u !== undefined);
  if (draftUnits.length === 0) throw new UnreadableDraftError('Tệp dự thảo không có điều khoản hoặc đoạn văn nào.');
  return { title: extracted.title ?? name.replace(/\.[^.]+$/, ''), units: draftUnits };
}

function toDraftUnit(u: KnowledgeUnit, index: number): DraftUnit | undefined {
  const label = u.section.replace(/^.*?(Điều\s)/u, '$1') || u.section;
  if (u.kind === 'article' && u.articleNo) {
    return { key: u.articleNo, kind: 'article', articleNo: u.articleNo, heading: u.heading, label: `Điều ${u.articleNo}`, text: u.text };
  }
  if (u.kind === 'clause' && u.articleNo && u.clauseNo) {
    return {
      key: `${u.articleNo}.${u.clauseNo}`,
      kind: 'clause',
      parentKey: u.articleNo,
      articleNo: u.articleNo,
      clauseNo: u.clauseNo,
      label: `Điều ${u.articleNo}, Khoản ${u.clauseNo}`,
      text: u.text,
    };
  }
  if (u.kind === 'passage') {
    return { key: `p${index + 1}`, kind: 'passage', heading: u.heading, label: u.heading ?? label ?? `Đoạn ${index + 1}`, text: u.text };
  }
  return undefined;
}

/** The articles (or passages) of a draft, in order: the outline a citizen browses. */
export function outline(units: readonly DraftUnit[]): DraftUnit[] {
  return units.filter((u) => u.kind !== 'clause');
}

/** The unit with this key, and the clauses of an article. */
export function unitByKey(units: readonly DraftUnit[], key: string): DraftUnit | undefined {
  return units.find((u) => u.key === key);
}

export function clausesOf(units: readonly DraftUnit[], articleKey: string): DraftUnit[] {
  return units.filter((u) => u.parentKey === articleKey);
}

/** The article a unit belongs to (itself for an article or passage). */
export function articleKeyOf(key: string): string {
  return key.split('.')[0];
}
