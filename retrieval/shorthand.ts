/**
 * Abbreviations and chat shorthand citizens type on phones, expanded to the words the
 * documents use. The curated table (`ABBREVIATIONS` in lexicon-data.ts) extends and
 * overrides the base table below. A key without tone marks also matches its folded spelling
 * ("đc" and "dc"); a key with tone marks ("hông") matches only as typed, so it never
 * captures a folded word ("hong" may be "hồng").
 */
import { ABBREVIATIONS } from './lexicon-data.ts';
import { tokenize } from './vietnamese.ts';
import { fold } from '../domain/fold.ts';

const TABLE: Record<string, string> = {
  // Official abbreviations
  cccd: 'căn cước công dân',
  cmnd: 'chứng minh nhân dân',
  cmt: 'chứng minh nhân dân',
  ubnd: 'ủy ban nhân dân',
  hdnd: 'hội đồng nhân dân',
  bhxh: 'bảo hiểm xã hội',
  bhyt: 'bảo hiểm y tế',
  bhtn: 'bảo hiểm thất nghiệp',
  gplx: 'giấy phép lái xe',
  gcn: 'giấy chứng nhận',
  qsdd: 'quyền sử dụng đất',
  gpkd: 'giấy phép kinh doanh',
  tthc: 'thủ tục hành chính',
  tand: 'tòa án nhân dân',
  vksnd: 'viện kiểm sát nhân dân',
  csgt: 'cảnh sát giao thông',
  nvqs: 'nghĩa vụ quân sự',
  thpt: 'trung học phổ thông',
  thcs: 'trung học cơ sở',
  hdld: 'hợp đồng lao động',
  nld: 'người lao động',
  nsdld: 'người sử dụng lao động',
  tncn: 'thu nhập cá nhân',
  mst: 'mã số thuế',
  sdt: 'số điện thoại',
  cty: 'công ty',
  dn: 'doanh nghiệp',
  tp: 'thành phố',
  vn: 'việt nam',
  // Names of codes and laws (law steering also recognises these)
  blds: 'bộ luật dân sự',
  blhs: 'bộ luật hình sự',
  blld: 'bộ luật lao động',
  bltths: 'bộ luật tố tụng hình sự',
  blttds: 'bộ luật tố tụng dân sự',
  hngd: 'hôn nhân và gia đình',
  // Chat shorthand
  hs: 'hồ sơ',
  ko: 'không',
  k: 'không',
  kh: 'không',
  khg: 'không',
  hok: 'không',
  dc: 'được',
  dk: 'đăng ký',
  vs: 'với',
  j: 'gì',
  ntn: 'như thế nào',
  bn: 'bao nhiêu',
  bnh: 'bao nhiêu',
  bnhieu: 'bao nhiêu',
  bjo: 'bây giờ',
  ng: 'người',
  r: 'rồi',
  mk: 'mình',
  mik: 'mình',
  ck: 'chồng',
  vk: 'vợ',
  bme: 'bố mẹ',
  ah: 'ạ',
  oy: 'rồi',
  thik: 'thích',
  z: 'vậy',
  v: 'vậy',
  lm: 'làm',
  trc: 'trước',
  ns: 'nói',
  nc: 'nước',
  kq: 'kết quả',
  tg: 'thời gian',
};

const exact = new Map<string, string[]>();
const folded = new Map<string, string[]>();
for (const [key, value] of Object.entries({ ...TABLE, ...ABBREVIATIONS })) {
  const k = key.normalize('NFC').toLowerCase();
  const keyTokens = tokenize(k);
  // Multi-token keys ("nđ-cp") would need phrase matching; their parts are covered separately.
  if (keyTokens.length !== 1) continue;
  const expansion = tokenize(value);
  exact.set(keyTokens[0], expansion);
  // Only keys whose sole diacritic is đ also match when typed without diacritics.
  if (fold(k) === k.replace(/đ/g, 'd')) folded.set(fold(k), expansion);
}

function lookup(token: string): string[] | undefined {
  const t = token.toLowerCase();
  const hit = exact.get(t);
  if (hit) return hit;
  // A token with tone marks is a real word, not shorthand ("ký", "hồ").
  return fold(t) === t.replace(/đ/g, 'd') ? folded.get(fold(t)) : undefined;
}

/** Expands shorthand tokens of one phrase (normalised lowercase syllables). */
export function expandShorthand(tokens: string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const exp = lookup(t);
    if (exp) out.push(...exp);
    else out.push(t);
  }
  return out;
}

/** True when a token is a known abbreviation or chat shorthand. */
export function isShorthand(token: string): boolean {
  return lookup(token) !== undefined;
}
