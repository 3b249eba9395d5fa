import { convert, type FormatCallback } from 'html-to-text';
import { decodeText, looksBinary, normalizeText } from './normalize.ts';
import { UnreadableDocumentError, type ExtractedText } from './extracted.ts';

/** Renders `<h1>`…`<h6>` as Markdown-style `#` lines so the legal-structure parser sees sections. */
const markdownHeading: FormatCallback = (elem, walk, builder, formatOptions) => {
  const level = Number((formatOptions as { level?: number }).level ?? 2);
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

const headingSelectors = [1, 2, 3, 4, 5, 6].map((level) => ({
  selector: `h${level}`,
  format: 'markdownHeading',
  options: { level },
}));

const skip = ['script', 'style', 'noscript', 'template', 'nav', 'footer', 'form', 'button', 'svg', 'iframe', 'img'].map(
  (selector) => ({ selector, format: 'skip' }),
);

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITY[name.toLowerCase()] ?? whole;
  });
}

/**
 * Converts an HTML string to lines: paragraphs and table rows on their own lines, headings as
 * `#` lines, links without their URLs, scripts/navigation/footers dropped.
 */
export function htmlToExtracted(html: string): ExtractedText {
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/iu.exec(html);
  const h1Match = /<h1[^>]*>([\s\S]*?)<\/h1>/iu.exec(html);
  // A Word heading 1 is often "Chương I", which is structure, not the title.
  const h1 = h1Match?.[1].replace(/<[^>]+>/gu, ' ').trim();
  const h1Title = h1 && !/^(Phần|Chương|Mục|Tiểu mục|Điều)\s/iu.test(h1) ? h1Match?.[1] : undefined;
  const rawTitle = titleMatch?.[1].trim() ? titleMatch[1] : h1Title;
  const title = rawTitle ? normalizeText(decodeEntities(rawTitle.replace(/<[^>]+>/gu, ' ')).replace(/\s+/gu, ' ')) : undefined;
  const text = convert(html, {
    wordwrap: false,
    formatters: { markdownHeading },
    selectors: [
      ...headingSelectors,
      ...skip,
      { selector: 'a', options: { ignoreHref: true } },
      // One cell per line: official headers are layout tables (issuer | national motto, số hiệu | date),
      // and a line per cell lets metadata detection read each part on its own.
      { selector: 'table', format: 'block', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
      { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'td', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'th', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
      { selector: 'ul', options: { itemPrefix: '- ' } },
    ],
  });
  return { text: normalizeText(text), headings: 'markdown', title: title || undefined };
}

/** HTML (.html, .htm) file. */
export function parseHtml(bytes: Uint8Array): ExtractedText {
  if (looksBinary(bytes)) throw new UnreadableDocumentError('binary data, not an HTML file');
  return htmlToExtracted(decodeText(bytes));
}
