/**
 * The flat, index-friendly view of the knowledge: documents, top-level entries (articles,
 * passages, FAQs: what search returns) and clauses (ranked under their article).
 */
import type { DocumentStatus, KnowledgeDocument, UnitKind } from '../domain/document.ts';
import { faqParts, withoutBasis } from './unit-text.ts';
import { httpUrlOrUndefined } from '../knowledge/http-url.ts';

export interface CorpusDoc {
  id: string;
  title: string;
  number?: string;
  url?: string;
  status: DocumentStatus;
  supersededBy?: string;
  isSummary?: boolean;
  aliases?: string[];
  docType?: string;
  legalBasis?: string[];
}

export interface CorpusEntry {
  id: string;
  /** Index into `docs`. */
  doc: number;
  kind: UnitKind;
  section: string;
  heading?: string;
  articleNo?: string;
  clauseNo?: string;
  text: string;
  /**
   * For passages: the document's topic (its title without "Tóm tắt:") and the other names
   * citizens use for it (aliases), indexed with the heading because passage headings are
   * generic ("Hồ sơ cần chuẩn bị").
   */
  context?: string;
}

type Indexed = Pick<CorpusEntry, 'context' | 'heading' | 'kind' | 'text'>;

/**
 * The text indexed as an entry's title field: context and heading; for an approved FAQ,
 * all its question variants (they are what citizens ask).
 */
export function indexTitle(e: Indexed): string {
  if (e.kind === 'faq') {
    const { questions } = faqParts(e.text);
    if (questions.length) return questions.join('\n');
  }
  return [e.context, e.heading].filter(Boolean).join(' – ');
}

/**
 * The text indexed as an entry's body: passages and FAQs without their legal-basis lines
 * (law names in every passage would pull questions naming a law towards any of them), an
 * FAQ without its question lines (they are its title).
 */
export function indexBody(e: Indexed): string {
  if (e.kind === 'faq') {
    const { questions, answer } = faqParts(e.text);
    return questions.length ? withoutBasis(answer) : withoutBasis(e.text);
  }
  return e.kind === 'passage' ? withoutBasis(e.text) : e.text;
}

/** A passage's context: the document's topic and its aliases. */
function passageContext(d: KnowledgeDocument): string {
  const topic = d.title.replace(/^\s*(tóm tắt|hướng dẫn)\s*[:：\-–—]\s*/iu, '').trim();
  return [topic, ...(d.meta.aliases ?? [])].filter((x) => x.trim()).join('; ');
}

export interface CorpusClause extends CorpusEntry {
  /** Index into `entries` of the article it belongs to. */
  parent: number;
}

export interface Corpus {
  docs: CorpusDoc[];
  entries: CorpusEntry[];
  clauses: CorpusClause[];
}

/** Flattens documents; clauses whose article is missing become entries of their own. */
export function prepareCorpus(documents: readonly KnowledgeDocument[]): Corpus {
  const docs: CorpusDoc[] = [];
  const entries: CorpusEntry[] = [];
  const clauses: CorpusClause[] = [];
  for (const d of documents) {
    const di = docs.length;
    docs.push({
      id: d.id,
      title: d.title,
      number: d.meta.number,
      // Only http(s) links reach citizens and /api/ask, whatever an older version stored.
      url: httpUrlOrUndefined(d.meta.url),
      status: d.meta.status,
      supersededBy: d.meta.supersededBy,
      isSummary: d.meta.isSummary,
      aliases: d.meta.aliases,
      docType: d.meta.docType,
      legalBasis: d.meta.legalBasis,
    });
    const context = passageContext(d);
    const byId = new Map<string, number>();
    const pending: CorpusEntry[] = [];
    const parents: (string | undefined)[] = [];
    for (const u of d.units) {
      const e: CorpusEntry = {
        id: u.id,
        doc: di,
        kind: u.kind,
        section: u.section,
        heading: u.heading,
        articleNo: u.articleNo,
        clauseNo: u.clauseNo,
        text: u.text,
        ...(u.kind === 'passage' ? { context } : {}),
      };
      if (u.kind === 'clause') {
        pending.push(e);
        parents.push(u.parentId);
        continue;
      }
      byId.set(u.id, entries.length);
      entries.push(e);
    }
    pending.forEach((e, i) => {
      const parent = parents[i] !== undefined ? byId.get(parents[i]!) : undefined;
      if (parent === undefined) {
        entries.push({ ...e });
      } else clauses.push({ ...e, parent });
    });
  }
  return { docs, entries, clauses };
}
