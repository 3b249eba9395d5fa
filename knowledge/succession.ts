/**
 * Versions of the same document: "Bộ luật Lao động 2012" next to "Bộ luật Lao động 2019".
 * A corpus that states no status would otherwise quote the repealed code as if in force.
 * Documents are the same when their titles match after dropping years, numbers and brackets;
 * the one with the latest year is the current version.
 */
import type { KnowledgeDocument } from '../domain/document.ts';
import { fold } from '../domain/fold.ts';

/** The title without years, document numbers and bracketed parts, folded. */
export function baseTitle(title: string): string {
  return fold(title)
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\b\d+\/\d{4}\/[a-z0-9-]+\b/g, ' ')
    .replace(/\b(nam\s+)?(19|20)\d{2}\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What telling versions apart needs of a document (a stored summary or a whole document). */
type Versioned = Pick<KnowledgeDocument, 'title'> & { meta: Pick<KnowledgeDocument['meta'], 'status' | 'number'> };

/** The year a title or number names ("… 2019 (45/2019/QH14)" → 2019). */
export function titleYear(doc: Versioned): number | undefined {
  const m = /\b(19|20)\d{2}\b/.exec(`${doc.title} ${doc.meta.number ?? ''}`);
  return m ? Number(m[0]) : undefined;
}

/** Groups of two or more documents that are versions of one another, newest first. */
export function versionGroups<D extends Versioned>(docs: readonly D[]): D[][] {
  const groups = new Map<string, D[]>();
  for (const d of docs) {
    if (titleYear(d) === undefined) continue;
    const key = baseTitle(d.title);
    // A title that is only a type and a number ("Nghị định 146/2018/NĐ-CP") says nothing of its subject.
    const subject = key.replace(/^(bo luat|luat|nghi dinh|thong tu|quyet dinh|nghi quyet|van ban hop nhat|phap lenh|chi thi)\b/, '').trim();
    if (subject.split(' ').filter(Boolean).length < 2 || /^(luat )?sua doi/.test(key)) continue; // amending laws are not versions
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()].filter((g) => g.length > 1).map((g) => [...g].sort((a, b) => titleYear(b)! - titleYear(a)!));
}

/**
 * Marks older versions superseded by the newest, for documents whose status was not stated
 * (`stated` says which were). Returns the documents it changed.
 */
export function markOlderVersions(docs: readonly KnowledgeDocument[], stated: (d: KnowledgeDocument) => boolean): KnowledgeDocument[] {
  const changed: KnowledgeDocument[] = [];
  for (const [newest, ...older] of versionGroups(docs)) {
    if (titleYear(newest) === titleYear(older[0])) continue; // two texts of one year: cannot tell
    for (const d of older) {
      if (stated(d) || d.meta.status !== 'in_force') continue;
      d.meta.status = 'superseded';
      d.meta.supersededBy = newest.title;
      changed.push(d);
    }
  }
  return changed;
}

/**
 * Warnings for staff after an ingest: versions of one document that are all marked in force
 * (an agency that stated the status of both has to say which one applies; Loa will not guess).
 */
export function versionConflicts(docs: readonly Versioned[]): string[] {
  return versionGroups(docs.filter((d) => d.meta.status === 'in_force'))
    .filter((g) => g.length > 1)
    .map(
      (g) =>
        `Có ${g.length} phiên bản cùng còn hiệu lực của một văn bản: ${g.map((d) => `“${d.title}”`).join(', ')}. ` +
        'Hãy đánh dấu bản cũ là đã được thay thế (superseded), nếu không câu trả lời có thể trích bản cũ.',
    );
}
