import type { KnowledgeUnit } from '../../domain/document.ts';
import { splitArticleBody } from './clauses.ts';

/**
 * Turns the text of a document into citable units following Vietnamese legal drafting:
 * Phần / Chương / Mục / Tiểu mục group articles (Điều), articles hold clauses (Khoản, "1.")
 * and points (Điểm, "a)"). Documents without articles (summaries, notices, decisions written
 * in numbered sections) become passages, one per heading section, cut to a bounded size.
 */
export interface LegalStructureOptions {
  /** Whether `#` lines are headings (Markdown, HTML, DOCX) or ordinary text (plain text, PDF). */
  headings?: 'markdown' | 'none';
  /** Largest passage, in characters, for text without articles. */
  maxPassageChars?: number;
}

export interface LegalStructure {
  units: KnowledgeUnit[];
  articleCount: number;
}

interface Line {
  text: string;
  /** Markdown heading level, 0 for ordinary lines. */
  level: number;
}

const ROMAN = '[IVXLCDM]+';
const PART = new RegExp(`^Phần\\s+(thứ\\s+[\\p{L}]+|${ROMAN}|\\d+)(?=$|[\\s.:–-])[\\s.:–-]*(.*)$`, 'iu');
const CHAPTER = new RegExp(`^Chương\\s+(${ROMAN}|\\d+)(?=$|[\\s.:–-])[\\s.:–-]*(.*)$`, 'iu');
const SUBSECTION = new RegExp(`^Tiểu\\s+mục\\s+(\\d+|${ROMAN})(?=$|[\\s.:–-])[\\s.:–-]*(.*)$`, 'iu');
const SECTION = new RegExp(`^Mục\\s+(\\d+|${ROMAN})(?=$|[\\s.:–-])[\\s.:–-]*(.*)$`, 'iu');
/** "Điều 20. Điều kiện …", "Điều 20:", "Điều 20" alone; not "Điều 20 của Luật này …". */
const ARTICLE = /^Điều\s+(\d+)([a-zđ]?)\s*(?:[.:]\s*(.*))?$/iu;
/** Lines that end the articles: the adoption sentence, recipients, signature blocks. */
const TRAILER = [
  /^(Hiến pháp|Bộ luật|Luật|Pháp lệnh|Nghị quyết)\s+này\s+(đã\s+)?được\s+.*(thông qua|ký)/u,
  /^Nơi\s+nhận\s*:/u,
  /^(TM|KT|Q|TL|TUQ)\.\s*\p{Lu}/u,
];
const SIGNATURE = /^(CHỦ TỊCH|PHÓ CHỦ TỊCH|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|CHÁNH ÁN|VIỆN TRƯỞNG|TỔNG KIỂM TOÁN|THỐNG ĐỐC|GIÁM ĐỐC|CỤC TRƯỞNG|TỔNG CỤC TRƯỞNG)(\s.*)?$/u;
const RULE = /^[-_=*.–—~]{3,}$/u;
/** A numbered heading in plain text: "I. MỤC TIÊU", "II. Nhiệm vụ và giải pháp". */
const ROMAN_HEADING = /^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})\.\s+\S/u;

/** Letters used after an article number for inserted articles ("Điều 20a"), in order. */
const SUFFIXES = 'abcdđeghiklmnopqrstuvxy';

const isUpper = (s: string) => /\p{Lu}/u.test(s) && s === s.toLocaleUpperCase('vi');
const capFirst = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);

function toLines(text: string, headings: 'markdown' | 'none'): Line[] {
  return text.split('\n').map((raw) => {
    const m = headings === 'markdown' ? /^(#{1,6})\s+(.*)$/u.exec(raw) : null;
    return m ? { text: m[2].trim(), level: m[1].length } : { text: raw.trim(), level: 0 };
  });
}

/** A grouping heading is trusted when marked up as a heading or when its title is in capitals, as in official text. */
function grouping(re: RegExp, line: Line): { no: string; title: string } | undefined {
  const m = re.exec(line.text);
  if (!m) return undefined;
  const title = m[2].trim();
  if (line.level === 0 && title && !isUpper(title)) return undefined;
  return { no: m[1], title };
}

const isTrailer = (text: string) => TRAILER.some((re) => re.test(text)) || (SIGNATURE.test(text) && isUpper(text));

interface ArticleDraft {
  no: string;
  key: number;
  heading?: string;
  body: string[];
  location: string[];
}

/** Parses articles; returns none when the text has no article headings. */
function parseArticles(lines: Line[], docId: string): KnowledgeUnit[] {
  const units: KnowledgeUnit[] = [];
  let part: string | undefined;
  let chapter: string | undefined;
  let section: string | undefined;
  let subsection: string | undefined;
  let current: ArticleDraft | undefined;
  let lastKey = 0;
  let afterTrailer = false;
  // An attachment after the signature (e.g. the Quy chế a Quyết định issues) numbers its articles from 1 again.
  let attachment = 0;
  let attachmentTitle: string | undefined;
  const seenIds = new Set<string>();

  const flush = () => {
    if (!current) return;
    const a = current;
    current = undefined;
    const body = a.body.join('\n').replace(/\n{3,}/gu, '\n\n').trim();
    const text = body || a.heading || '';
    if (!text) return;
    const articleNo = a.no;
    const prefix = attachment > 0 ? `pl${attachment}-` : '';
    const id = `${docId}::${prefix}${articleNo}`;
    if (seenIds.has(id)) return;
    seenIds.add(id);
    const where = [...a.location, `Điều ${articleNo}`].join(', ');
    units.push({ id, docId, kind: 'article', section: where, articleNo, heading: a.heading, text });
    for (const c of splitArticleBody(body).clauses) {
      units.push({
        id: `${id}.${c.no}`,
        docId,
        kind: 'clause',
        parentId: id,
        section: `${where}, Khoản ${c.no}`,
        articleNo,
        clauseNo: c.no,
        heading: a.heading,
        text: c.text,
      });
    }
  };

  for (const line of lines) {
    const text = line.text;
    // Rules drawn with underscores or dashes separate blocks; they are not text.
    if (!text || RULE.test(text)) {
      current?.body.push('');
      continue;
    }
    const art = ARTICLE.exec(text);
    if (art) {
      const suffix = art[2].toLocaleLowerCase('vi');
      const key = Number(art[1]) * 64 + (suffix ? SUFFIXES.indexOf(suffix) + 1 : 0);
      const restart = Number(art[1]) === 1 && !art[2] && afterTrailer && lastKey > 0;
      if (key > lastKey || restart) {
        flush();
        if (restart) {
          attachment++;
          part = chapter = section = subsection = undefined;
        }
        lastKey = key;
        afterTrailer = false;
        const location = [attachmentTitle, part, chapter, section, subsection].filter((x): x is string => !!x);
        current = { no: `${art[1]}${suffix}`, key, heading: art[3]?.trim() || undefined, body: [], location };
        continue;
      }
    }
    const p = grouping(PART, line);
    const c = p ? undefined : grouping(CHAPTER, line);
    const t = p || c ? undefined : grouping(SUBSECTION, line);
    const s = p || c || t ? undefined : grouping(SECTION, line);
    if (p || c || s || t) {
      flush();
      if (afterTrailer && lastKey > 0) {
        // A new chapter after the signature belongs to an attachment with its own numbering.
        lastKey = 0;
        attachment++;
      }
      afterTrailer = false;
      if (p) [part, chapter, section, subsection] = [capFirst(`Phần ${p.no.toLocaleLowerCase('vi')}`), undefined, undefined, undefined];
      if (c) [chapter, section, subsection] = [`Chương ${c.no.toUpperCase()}`, undefined, undefined];
      if (s) [section, subsection] = [`Mục ${s.no}`, undefined];
      if (t) subsection = `Tiểu mục ${t.no}`;
      continue;
    }
    if (isTrailer(text)) {
      flush();
      afterTrailer = true;
      continue;
    }
    if (current) current.body.push(text);
    else if (afterTrailer && lastKey > 0 && isUpper(text) && text.length < 80 && /^(QUY CHẾ|QUY ĐỊNH|ĐIỀU LỆ|HƯỚNG DẪN|PHỤ LỤC)/u.test(text)) {
      attachmentTitle = capFirst(text.toLocaleLowerCase('vi'));
    }
  }
  flush();
  return units;
}

/** Splits a block of text into pieces of at most `max` characters at paragraph, line, then sentence boundaries. */
export function boundedChunks(text: string, max: number): string[] {
  const paragraphs = text.split(/\n{2,}/u).flatMap((p) => (p.length <= max ? [p] : p.split('\n')));
  const pieces = paragraphs.flatMap((p) => {
    if (p.length <= max) return [p];
    const out: string[] = [];
    let buf = '';
    for (const sentence of p.split(/(?<=[.!?;:])\s+/u)) {
      if (buf && buf.length + sentence.length + 1 > max) {
        out.push(buf);
        buf = '';
      }
      buf = buf ? `${buf} ${sentence}` : sentence;
      while (buf.length > max) {
        // One endless "sentence" (no punctuation): cut at the last space before the limit.
        const cut = buf.lastIndexOf(' ', max) > max / 2 ? buf.lastIndexOf(' ', max) : max;
        out.push(buf.slice(0, cut));
        buf = buf.slice(cut).trim();
      }
    }
    if (buf) out.push(buf);
    return out;
  });
  const chunks: string[] = [];
  let cur = '';
  for (const piece of pieces.map((x) => x.trim()).filter(Boolean)) {
    if (cur && cur.length + piece.length + 1 > max) {
      chunks.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n${piece}` : piece;
  }
  if (cur) chunks.push(cur);
  return chunks;
}

/** Parses passages: one per heading section, long sections cut into bounded paragraph groups. */
function parsePassages(lines: Line[], docId: string, opts: Required<Pick<LegalStructureOptions, 'maxPassageChars'>> & LegalStructureOptions): KnowledgeUnit[] {
  const units: KnowledgeUnit[] = [];
  const path: { level: number; text: string }[] = [];
  let body: string[] = [];
  let n = 0;
  let titleSkipped = false;

  const flush = () => {
    const text = body.join('\n').replace(/\n{3,}/gu, '\n\n').trim();
    body = [];
    if (!text) return;
    const heading = path[path.length - 1]?.text;
    for (const chunk of boundedChunks(text, opts.maxPassageChars)) {
      n++;
      const section = path.length > 0 ? path.map((h) => h.text).join(', ') : `Đoạn ${n}`;
      units.push({ id: `${docId}::s${n}`, docId, kind: 'passage', section, heading, text: chunk });
    }
  };

  for (const line of lines) {
    let level = line.level;
    // Plain text has no markup: numbered Roman headings in capitals or short lines stand in for it.
    if (level === 0 && ROMAN_HEADING.test(line.text) && line.text.length <= 120 && !/[.;,]$/u.test(line.text)) level = 2;
    if (level === 0) {
      body.push(line.text);
      continue;
    }
    // A leading `# h1` is the document's title, not a section of it.
    const leading = units.length === 0 && !body.some(Boolean) && path.length === 0;
    if (!titleSkipped && level === 1 && leading) {
      titleSkipped = true;
      continue;
    }
    flush();
    while (path.length > 0 && path[path.length - 1].level >= level) path.pop();
    path.push({ level, text: line.text });
  }
  flush();
  return units;
}

/**
 * Parses text into units: articles and clauses when the text has articles ("Điều N."),
 * passages otherwise. Citation ids are `${docId}::${articleNo}`, `${docId}::${articleNo}.${clauseNo}`
 * and `${docId}::s${n}`.
 */
export function parseLegalStructure(text: string, docId: string, options: LegalStructureOptions = {}): LegalStructure {
  const lines = toLines(text, options.headings ?? 'none');
  const articles = parseArticles(lines, docId);
  if (articles.length > 0) {
    return { units: articles, articleCount: articles.filter((u) => u.kind === 'article').length };
  }
  return { units: parsePassages(lines, docId, { maxPassageChars: 1500, ...options }), articleCount: 0 };
}
