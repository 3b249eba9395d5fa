import { parse as parseYaml } from 'yaml';
import { decodeText, looksBinary, normalizeText } from './normalize.ts';
import { UnreadableDocumentError, type ExtractedText } from './extracted.ts';

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/u;

/** Splits a leading `---` YAML block from the Markdown body. Throws on YAML that does not parse. */
export function splitFrontMatter(source: string): { data?: unknown; body: string } {
  const m = FRONT_MATTER.exec(source);
  if (!m) return { body: source };
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch (e) {
    throw new UnreadableDocumentError(`invalid front matter: ${(e as Error).message.split('\n')[0]}`);
  }
  return { data: data ?? {}, body: source.slice(m[0].length) };
}

/** Removes inline Markdown (emphasis, links, code, HTML tags) so headings like `**Điều 20.**` read as plain text. */
export function stripInlineMarkdown(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/gu, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/gu, '$1')
    .replace(/<[^>]+>/gu, '')
    .replace(/(\*\*|__)(.+?)\1/gu, '$2')
    .replace(/(^|[^\w*])[*_](\S(?:.*?\S)?)[*_](?=[^\w*]|$)/gu, '$1$2')
    .replace(/`([^`]*)`/gu, '$1')
    .replace(/~~(.+?)~~/gu, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/gu, '$1');
}

/** Turns Markdown into plain lines, keeping ATX/Setext headings as `#` lines. */
export function markdownToLines(body: string): { text: string; h1?: string } {
  const src = body.replace(/\r\n?/gu, '\n').split('\n');
  const out: string[] = [];
  let h1: string | undefined;
  let inFence = false;
  for (let i = 0; i < src.length; i++) {
    const raw = src[i];
    if (/^\s*(```|~~~)/u.test(raw)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push(raw);
      continue;
    }
    const next = src[i + 1] ?? '';
    // Setext headings: a text line underlined with === or ---.
    if (raw.trim() && !/^\s*[-*+>|]/u.test(raw) && /^\s*(=+|-+)\s*$/u.test(next) && !/^\s*$/u.test(next)) {
      const level = next.trim().startsWith('=') ? 1 : 2;
      const text = stripInlineMarkdown(raw.trim());
      if (level === 1 && h1 === undefined) h1 = text;
      out.push(`${'#'.repeat(level)} ${text}`, '');
      i++;
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/u.exec(raw);
    if (heading) {
      const text = stripInlineMarkdown(heading[2]);
      if (heading[1].length === 1 && h1 === undefined) h1 = text;
      out.push('', `${heading[1]} ${text}`, '');
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/u.test(raw)) {
      out.push('');
      continue;
    }
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/u.test(raw)) continue;
    let line = raw.replace(/^\s*(>\s?)+/u, '');
    if (/^\s*\|.*\|\s*$/u.test(line)) {
      line = line
        .trim()
        .replace(/^\||\|$/gu, '')
        .split('|')
        .map((c) => c.trim())
        .join(' | ');
    }
    out.push(stripInlineMarkdown(line));
  }
  return { text: out.join('\n'), h1 };
}

/** Markdown (.md): front matter, then the body with headings kept as `#` lines. */
export function parseMarkdown(bytes: Uint8Array): ExtractedText {
  if (looksBinary(bytes)) throw new UnreadableDocumentError('binary data, not a Markdown file');
  const source = decodeText(bytes).replace(/^\uFEFF/u, '').replace(/\r\n?/gu, '\n');
  const { data, body } = splitFrontMatter(source);
  const { text, h1 } = markdownToLines(body);
  return {
    text: normalizeText(text),
    headings: 'markdown',
    title: h1 ? normalizeText(h1) : undefined,
    embeddedMeta: data,
  };
}
