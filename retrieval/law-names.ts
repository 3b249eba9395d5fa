/**
 * Law steering: recognises when a question names a source ("theo Luật Cư trú", "BLDS",
 * "bộ luật lao động", "luật hôn nhân", "68/2020/QH14") so its units can be preferred.
 */
import { expandShorthand } from './shorthand.ts';
import { tokenize, type Phrase } from './vietnamese.ts';
import { fold } from '../domain/fold.ts';

/** Well-known numbers of major codes, so documents stored under a number get a name too. */
const KNOWN_NUMBERS: Record<string, string[]> = {
  '91/2015/qh13': ['Bộ luật Dân sự'],
  '100/2015/qh13': ['Bộ luật Hình sự'],
  '45/2019/qh14': ['Bộ luật Lao động'],
  '10/2012/qh13': ['Bộ luật Lao động'],
  '24/2018/qh14': ['Luật An ninh mạng'],
  '68/2020/qh14': ['Luật Cư trú'],
  '52/2014/qh13': ['Luật Hôn nhân và gia đình'],
  '92/2015/qh13': ['Bộ luật Tố tụng dân sự'],
  '101/2015/qh13': ['Bộ luật Tố tụng hình sự'],
  '26/2023/qh15': ['Luật Căn cước'],
  '31/2024/qh15': ['Luật Đất đai'],
  '45/2013/qh13': ['Luật Đất đai'],
  '58/2014/qh13': ['Luật Bảo hiểm xã hội'],
  '41/2024/qh15': ['Luật Bảo hiểm xã hội'],
  '15/2012/qh13': ['Luật Xử lý vi phạm hành chính'],
};

/** The common name of a document stored under a bare number ("91/2015/QH13" → "Bộ luật Dân sự"). */
export function knownName(numberOrTitle: string): string | undefined {
  return KNOWN_NUMBERS[numberOrTitle.toLowerCase().trim()]?.[0];
}

/** Everyday names of codes: "luật hình sự" for "Bộ luật Hình sự" is handled by the rule below. */
const GENERIC = new Set(['luat', 'bo', 'nam', 'so', 'cua', 've', 'va']);

/** Document-type prefixes of agency material that are not part of the topic. */
const DOC_PREFIX = /^\s*(tóm tắt|hướng dẫn|câu hỏi thường gặp|hỏi đáp|giải đáp)\s*[:：\-–—]\s*/iu;
/** Names that denote a legal instrument rather than a topic (folded). */
const LEGAL_NAME = /^(bo luat|luat|hien phap|nghi dinh|thong tu|nghi quyet|quyet dinh|phap lenh|van ban hop nhat)\b/;

export interface LawNameSource {
  title: string;
  number?: string;
  aliases?: string[];
  id: string;
}

interface Pattern {
  tokens: string[];
  /**
   * True for names of legal documents ("Luật Cư trú", "BLDS", "68/2020/QH14"): their words
   * identify the source, not the topic. Topic-like titles and aliases of summaries
   * ("giấy khai sinh") steer without being discounted.
   */
  isName: boolean;
  /** True when the pattern must be preceded by "luật" in the query ("cư trú" alone is a topic, not a law). */
  needsLaw: boolean;
  doc: number;
}

function folded(text: string): string[] {
  return expandShorthand(tokenize(text)).map(fold);
}

/** Name patterns of one document. */
function patternsFor(src: LawNameSource, doc: number): Pattern[] {
  const out: Pattern[] = [];
  const names = new Set([src.title, ...(src.aliases ?? [])]);
  const numbers = new Set([src.number, src.id, src.title].filter((x): x is string => !!x && /\d+\/\d{4}/.test(x)));
  for (const n of numbers) {
    for (const name of KNOWN_NUMBERS[n.toLowerCase().trim()] ?? []) names.add(name);
    out.push({ tokens: folded(n), needsLaw: false, isName: true, doc });
  }
  for (const raw of names) {
    // "Tóm tắt: Đăng ký khai sinh" is found by "đăng ký khai sinh".
    const name = raw.replace(DOC_PREFIX, '').trim();
    const toks = folded(name);
    if (toks.length === 0) continue;
    out.push({ tokens: toks, needsLaw: false, isName: LEGAL_NAME.test(fold(name).toLowerCase()), doc });
    // "Luật Hôn nhân và gia đình" is also "luật hôn nhân"; "Bộ luật Dân sự" is also "luật dân sự".
    const li = toks.indexOf('luat');
    if (li >= 0) {
      const rest = toks.slice(li + 1).filter((t) => !GENERIC.has(t));
      for (let k = Math.min(rest.length, 2); k <= rest.length; k++) {
        if (k >= 2 || rest.length === 1) out.push({ tokens: rest.slice(0, k), needsLaw: true, isName: true, doc });
      }
    }
  }
  return out;
}

export class LawNames {
  private readonly patterns: Pattern[];
  constructor(sources: readonly LawNameSource[]) {
    this.patterns = sources.flatMap((s, i) => patternsFor(s, i)).filter((p) => p.tokens.length > 0);
  }

  /**
   * Documents the question names, by index into the sources given to the constructor, and
   * where the names are (phrase, start, end) so their words can be told apart from the
   * topic. Longest matches win: "luật tố tụng hành chính" does not also select a law named
   * "hành chính".
   */
  find(phrases: readonly Phrase[]): { docs: number[]; spans: { phrase: number; start: number; end: number }[] } {
    const found = new Map<number, number>();
    const spans: { phrase: number; start: number; end: number; len: number }[] = [];
    phrases.forEach((phrase, pi) => {
      const f = phrase.map(fold);
      for (const p of this.patterns) {
        const n = p.tokens.length;
        for (let i = 0; i + n <= f.length; i++) {
          if (!p.tokens.every((t, j) => f[i + j] === t)) continue;
          let start = i;
          if (p.needsLaw) {
            // Walk back over "bộ", "về", "của"… to the word "luật".
            let j = i - 1;
            while (j >= 0 && GENERIC.has(f[j]) && f[j] !== 'luat') j--;
            if (j < 0 || f[j] !== 'luat') continue;
            start = j > 0 && f[j - 1] === 'bo' ? j - 1 : j;
          }
          found.set(p.doc, Math.max(found.get(p.doc) ?? 0, n));
          if (p.isName) spans.push({ phrase: pi, start, end: i + n, len: n });
        }
      }
    });
    if (found.size === 0) return { docs: [], spans: [] };
    const best = Math.max(...found.values());
    return {
      docs: [...found].filter(([, len]) => len === best).map(([d]) => d),
      spans: spans.map(({ phrase, start, end }) => ({ phrase, start, end })),
    };
  }

  /** Documents the question names (see `find`). */
  match(phrases: readonly Phrase[]): number[] {
    return this.find(phrases).docs;
  }
}
