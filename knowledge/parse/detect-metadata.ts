import type { DocumentMeta } from '../../domain/document.ts';

/**
 * Reads an official document's own header for what front matter would otherwise say:
 * title, số hiệu, loại văn bản, cơ quan ban hành, ngày ban hành and ngày hiệu lực.
 * Everything is a best effort; explicit metadata always wins over it.
 */
export interface DetectedMetadata {
  title?: string;
  meta: Partial<Omit<DocumentMeta, 'status'>>;
}

/** Loại văn bản as written in an official title (upper case) → its usual name. Longest first. */
const DOC_TYPES: [string, string][] = [
  ['THÔNG TƯ LIÊN TỊCH', 'Thông tư liên tịch'],
  ['BỘ LUẬT', 'Bộ luật'],
  ['HIẾN PHÁP', 'Hiến pháp'],
  ['LUẬT', 'Luật'],
  ['PHÁP LỆNH', 'Pháp lệnh'],
  ['NGHỊ ĐỊNH', 'Nghị định'],
  ['NGHỊ QUYẾT', 'Nghị quyết'],
  ['THÔNG TƯ', 'Thông tư'],
  ['QUYẾT ĐỊNH', 'Quyết định'],
  ['CHỈ THỊ', 'Chỉ thị'],
  ['CÔNG VĂN', 'Công văn'],
  ['THÔNG BÁO', 'Thông báo'],
  ['KẾ HOẠCH', 'Kế hoạch'],
  ['HƯỚNG DẪN', 'Hướng dẫn'],
  ['LỆNH', 'Lệnh'],
];

/** Suffix of a số hiệu → loại văn bản (used when the title line is missing). */
const NUMBER_TYPES: [RegExp, string][] = [
  [/\/TTLT-/u, 'Thông tư liên tịch'],
  [/\/NĐ-/u, 'Nghị định'],
  [/\/TT-/u, 'Thông tư'],
  [/\/QĐ-/u, 'Quyết định'],
  [/\/NQ-/u, 'Nghị quyết'],
  [/\/CT-/u, 'Chỉ thị'],
  [/\/PL-/u, 'Pháp lệnh'],
  [/\/QH\d+$/u, 'Luật'],
];

const BODY_START = /^(Căn cứ|Theo đề nghị|Xét đề nghị|Chương\s|CHƯƠNG\s|Phần\s+thứ|PHẦN\s+THỨ|Điều\s+\d)/u;
const SEPARATOR = /^[-_=*.–—\s]+$/u;
const NUMBER_LABELLED = /(?:^|\s|\|)(?:(?:Luật|Bộ luật|Nghị quyết|Pháp lệnh|Lệnh|Văn bản)\s+)?[Ss]ố(?:\s+hiệu)?\s*:\s*([0-9][0-9A-Za-zĐđ/.-]*[0-9A-Za-zĐđ])/u;
const NUMBER_PATTERN = /(?:^|[^\d/])(\d+\/\d{4}\/(?:QH\d+|UBTVQH\d+|NĐ-CP|TTLT-[A-ZĐ-]+[A-ZĐ]|TT-[A-ZĐ]+(?:-[A-ZĐ]+)*|QĐ-[A-ZĐ]+|NQ-[A-ZĐ]+|CT-[A-ZĐ]+))/u;
const NATIONAL_MOTTO = /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do/u;
const ISSUER =
  /^(QUỐC HỘI|ỦY BAN THƯỜNG VỤ QUỐC HỘI|UỶ BAN THƯỜNG VỤ QUỐC HỘI|CHÍNH PHỦ|THỦ TƯỚNG CHÍNH PHỦ|CHỦ TỊCH NƯỚC|VĂN PHÒNG CHÍNH PHỦ|BỘ\s+[A-ZĐÀ-Ỹ].*|(?:ỦY|UỶ) BAN NHÂN DÂN.*|HỘI ĐỒNG NHÂN DÂN.*|TÒA ÁN NHÂN DÂN TỐI CAO|TOÀ ÁN NHÂN DÂN TỐI CAO|VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO|NGÂN HÀNG NHÀ NƯỚC.*|BẢO HIỂM XÃ HỘI VIỆT NAM|KIỂM TOÁN NHÀ NƯỚC|TỔNG CỤC\s.*|CỤC\s.*|SỞ\s.*)$/u;
const SIGNER = /^(CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|TỔNG CỤC TRƯỞNG|CỤC TRƯỞNG|GIÁM ĐỐC|THỐNG ĐỐC|CHÁNH ÁN|VIỆN TRƯỞNG|TỔNG GIÁM ĐỐC)(\s|$)/u;
const LOCAL_UNIT = /^(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s/u;
const DATE_WORDS = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u;
const DATE_NUMERIC = /ngày\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})/u;

const isUpper = (s: string) => /\p{Lu}/u.test(s) && s === s.toLocaleUpperCase('vi');
const stripHeadingMark = (s: string) => s.replace(/^#{1,6}\s+/u, '').trim();

/** Builds an ISO date from day/month/year strings; undefined when the date does not exist. */
export function isoDate(d: string, m: string, y: string): string | undefined {
  const day = Number(d);
  const month = Number(m);
  const year = Number(y);
  const dt = new Date(Date.UTC(year, month - 1, day));
  if (dt.getUTCFullYear() !== year || dt.getUTCMonth() !== month - 1 || dt.getUTCDate() !== day) return undefined;
  return dt.toISOString().slice(0, 10);
}

function dateIn(s: string): string | undefined {
  const m = DATE_WORDS.exec(s) ?? DATE_NUMERIC.exec(s);
  return m ? isoDate(m[1], m[2], m[3]) : undefined;
}

/** "QUỐC HỘI" → "Quốc hội", "BỘ CÔNG AN" → "Bộ Công an"; unknown shapes keep their capitals. */
export function formatIssuer(raw: string): string {
  const fixed: Record<string, string> = {
    'QUỐC HỘI': 'Quốc hội',
    'CHÍNH PHỦ': 'Chính phủ',
    'THỦ TƯỚNG CHÍNH PHỦ': 'Thủ tướng Chính phủ',
    'CHỦ TỊCH NƯỚC': 'Chủ tịch nước',
    'VĂN PHÒNG CHÍNH PHỦ': 'Văn phòng Chính phủ',
    'ỦY BAN THƯỜNG VỤ QUỐC HỘI': 'Ủy ban Thường vụ Quốc hội',
    'UỶ BAN THƯỜNG VỤ QUỐC HỘI': 'Ủy ban Thường vụ Quốc hội',
    'BỘ CÔNG THƯƠNG': 'Bộ Công Thương',
    'BẢO HIỂM XÃ HỘI VIỆT NAM': 'Bảo hiểm xã hội Việt Nam',
    'NGÂN HÀNG NHÀ NƯỚC VIỆT NAM': 'Ngân hàng Nhà nước Việt Nam',
    'TÒA ÁN NHÂN DÂN TỐI CAO': 'Tòa án nhân dân tối cao',
    'VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO': 'Viện kiểm sát nhân dân tối cao',
    'KIỂM TOÁN NHÀ NƯỚC': 'Kiểm toán nhà nước',
  };
  if (fixed[raw]) return fixed[raw];
  const lower = (s: string) => s.toLocaleLowerCase('vi');
  const cap = (s: string) => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
  const bo = /^BỘ\s+(.+)$/u.exec(raw);
  if (bo) {
    // Ministry names capitalise the first word of each coordinated part: "Lao động - Thương binh và Xã hội".
    const name = lower(bo[1]).replace(/(^|\s-\s|,\s|\svà\s)(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase('vi'));
    return `Bộ ${name}`;
  }
  const local = /^((?:ỦY|UỶ) BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN)\s+(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s+(.+)$/u.exec(raw);
  if (local) {
    const body = local[1].startsWith('H') ? 'Hội đồng nhân dân' : 'Ủy ban nhân dân';
    const place = lower(local[3]).split(/\s+/u).map(cap).join(' ');
    return `${body} ${lower(local[2])} ${place}`;
  }
  return raw;
}

/** The lines of the header block: everything before the preamble ("Căn cứ …") or the first heading. */
function headerLines(lines: string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    const line = stripHeadingMark(raw);
    if (!line) continue;
    if (BODY_START.test(line) || out.length >= 40) break;
    out.push(line);
  }
  return out;
}

function detectTitle(header: string[]): { title?: string; docType?: string } {
  for (let i = 0; i < header.length; i++) {
    const line = header[i];
    const type = DOC_TYPES.find(([word]) => line === word || line.startsWith(`${word} `));
    // The official title starts with the document type in capitals; "Luật số: …" does not.
    if (!type || !isUpper(line.slice(0, type[0].length)) || /[Ss]ố\s*:/u.test(line)) continue;
    const parts = [line];
    for (let j = i + 1; j < header.length && parts.length < 4; j++) {
      const next = header[j];
      if (SEPARATOR.test(next) || NATIONAL_MOTTO.test(next) || /[Ss]ố\s*:/u.test(next) || DATE_WORDS.test(next)) break;
      // Decisions repeat the signer's title ("THỦ TƯỚNG CHÍNH PHỦ") between the title and "Căn cứ".
      if (isUpper(next) && (SIGNER.test(next) || header.slice(0, i).includes(next))) break;
      parts.push(next);
    }
    return { title: parts.join(' ').replace(/\s+/gu, ' ').replace(/[:.]$/u, ''), docType: type[1] };
  }
  return {};
}

function detectIssuer(header: string[]): string | undefined {
  for (let i = 0; i < header.length; i++) {
    // A flattened header table puts the issuer and the national motto on one line.
    const line = header[i].split(NATIONAL_MOTTO)[0].replace(/[|]/gu, ' ').trim();
    if (!line || !isUpper(line)) continue;
    const m = ISSUER.exec(line);
    if (!m) continue;
    let issuer = m[1].trim();
    const next = header[i + 1]?.split(NATIONAL_MOTTO)[0].trim();
    if (/^(?:ỦY|UỶ) BAN NHÂN DÂN$|^HỘI ĐỒNG NHÂN DÂN$/u.test(issuer) && next && LOCAL_UNIT.test(next) && isUpper(next)) {
      issuer = `${issuer} ${next}`;
    }
    return formatIssuer(issuer);
  }
  return undefined;
}

function detectEffectiveDate(text: string, issuedDate: string | undefined): string | undefined {
  // Only the document's own clause ("Luật này có hiệu lực …") counts: other dates are about other documents.
  const re =
    /(?:Hiến pháp|Bộ luật|Luật|Pháp lệnh|Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Chỉ thị|Quy chế|Quy định|Kế hoạch|Văn bản)\s+này\s+có hiệu lực(?:\s+thi hành)?(?:\s+kể)?\s+từ\s+(ngày\s+ký(?:\s+ban hành)?|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|ngày\s+\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})/u;
  const m = re.exec(text);
  if (!m) return undefined;
  return /^ngày\s+ký/u.test(m[1]) ? issuedDate : dateIn(m[1]);
}

/** Detects title and metadata from the text of an official document. */
export function detectMetadata(text: string): DetectedMetadata {
  const lines = text.split('\n');
  const header = headerLines(lines);
  const meta: DetectedMetadata['meta'] = {};
  const { title, docType } = detectTitle(header);

  for (const line of header) {
    const m = NUMBER_LABELLED.exec(line);
    if (m) {
      meta.number = m[1];
      break;
    }
  }
  if (!meta.number) {
    // Unlabelled numbers count only on short header lines, not inside sentences that cite other documents.
    for (const line of header.filter((l) => l.length <= 80)) {
      const m = NUMBER_PATTERN.exec(line);
      if (m) {
        meta.number = m[1];
        break;
      }
    }
  }
  meta.docType = docType ?? NUMBER_TYPES.find(([re]) => meta.number && re.test(meta.number))?.[1];
  if (!meta.docType && header.some((l) => /^V\/v\b/u.test(l))) meta.docType = 'Công văn';
  meta.issuer = detectIssuer(header);

  for (const line of header) {
    // "Hà Nội, ngày 13 tháng 11 năm 2020": a place, a comma, then the date.
    const m = /,\s*(ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|ngày\s+\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})/u.exec(line);
    const date = m ? dateIn(m[1]) : undefined;
    if (date) {
      meta.issuedDate = date;
      break;
    }
  }
  if (!meta.issuedDate) {
    // Laws carry the date they were passed in the closing sentence instead.
    const passed = [...text.matchAll(/thông qua\s+ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/gu)].pop();
    if (passed) meta.issuedDate = isoDate(passed[1], passed[2], passed[3]);
  }
  meta.effectiveDate = detectEffectiveDate(text, meta.issuedDate);

  for (const key of Object.keys(meta) as (keyof typeof meta)[]) if (meta[key] === undefined) delete meta[key];
  return { title, meta };
}

/** Loại văn bản from a title such as "Luật Cư trú" or "Nghị định 62/2021/NĐ-CP". */
export function docTypeFromTitle(title: string): string | undefined {
  const upper = title.toLocaleUpperCase('vi');
  return DOC_TYPES.find(([word]) => upper === word || upper.startsWith(`${word} `))?.[1];
}
