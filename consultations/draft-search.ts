import type { Citation } from '../domain/citation.ts';
import { jaccard, shingles } from './similarity.ts';
import type { DraftUnit, DraftVersion } from './types.ts';

/**
 * Answers a question about a draft from the draft itself: the unit sharing most words with
 * the question. Kept apart from Loa's retrieval index on purpose: draft text must never be
 * cited as law in force for an ordinary question, so it is searched only inside a consultation.
 */

/**
 * Share of the question's words (and word pairs) the unit must contain: below it the draft has
 * nothing on the question, and ordinary retrieval answers it instead.
 */
const MIN_SCORE = 0.3;

export interface DraftHit {
  unit: DraftUnit;
  score: number;
}

export function searchDraft(draft: DraftVersion, question: string): DraftHit | undefined {
  const q = shingles(question);
  let best: DraftHit | undefined;
  for (const unit of draft.units) {
    const u = shingles(`${unit.heading ?? ''} ${unit.text}`);
    // Containment of the question in the unit: a long unit is not penalised for its length.
    let both = 0;
    for (const s of q) if (u.has(s)) both++;
    const score = q.size ? both / q.size : 0;
    const tie = best && score === best.score && jaccard(q, u) > jaccard(q, shingles(best.unit.text));
    if (!best || score > best.score || tie) best = { unit, score };
  }
  return best && best.score >= MIN_SCORE ? best : undefined;
}

/** A citation that says what it is: a unit of a draft, not official text in force. */
export function draftCitation(consultationId: string, draft: DraftVersion, hit: DraftHit): Citation {
  return {
    id: `draft:${consultationId}:${draft.version}:${hit.unit.key}`,
    title: `Dự thảo ${draft.title.replace(/^Dự thảo\s+/iu, '')} (chưa có hiệu lực)`,
    section: `${hit.unit.label} (dự thảo, bản ${draft.version})`,
    status: 'unknown',
    quote: hit.unit.text,
    score: hit.score,
    kind: 'document',
  };
}
