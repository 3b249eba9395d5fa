/**
 * Splits the body of one article (Điều) into its clauses (Khoản: "1.", "2." …) and points
 * (Điểm: "a)", "b)" …). Vietnamese legal drafting puts each on its own line; text before the
 * first clause is the article's lead-in.
 */
export interface ParsedPoint {
  no: string;
  text: string;
}
export interface ParsedClause {
  no: string;
  text: string;
  points: ParsedPoint[];
}
export interface ParsedArticleBody {
  lead: string;
  clauses: ParsedClause[];
}

const CLAUSE = /^\s*(\d{1,3})\s*[.)]\s+(\S.*)$/u;
const POINT = /^\s*([a-zđ])\s*\)\s+(\S.*)$/u;

export function splitArticleBody(body: string): ParsedArticleBody {
  const lines = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const lead: string[] = [];
  const clauses: ParsedClause[] = [];
  let expected = 1;
  for (const line of lines) {
    const c = CLAUSE.exec(line);
    // Clauses are numbered 1, 2, 3 … in order; a number out of sequence is part of the text (e.g. a year).
    if (c && Number(c[1]) === expected) {
      clauses.push({ no: c[1], text: c[2], points: [] });
      expected++;
      continue;
    }
    const current = clauses[clauses.length - 1];
    const p = POINT.exec(line);
    if (p && current) {
      current.points.push({ no: p[1], text: p[2] });
      current.text += `\n${line}`;
      continue;
    }
    if (current) current.text += `\n${line}`;
    else lead.push(line);
  }
  return { lead: lead.join('\n'), clauses };
}
