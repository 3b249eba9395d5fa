/**
 * Real citizens' questions labelled with an article of the zalo2021 corpus, mined from
 * lawyers' answers in ../shared/data/hoidap-pairs: an answer that opens by citing
 * "điều N <law>" of a document the corpus holds labels its question with that article.
 * Mined at run time (the pairs are never copied into the repository).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { KnowledgeDocument } from '../domain/document.ts';
import type { EvalQuestion } from '../retrieval/evaluate.ts';
import { dataPath } from './retrieval-data.ts';

/** Common names of the codes and laws in the zalo2021 corpus → their numbers (lower case). */
const NAMES: [string, string][] = [
  ['bộ luật dân sự', '91/2015/qh13'],
  ['bộ luật tố tụng dân sự', '92/2015/qh13'],
  ['bộ luật tố tụng hình sự', '101/2015/qh13'],
  ['bộ luật hình sự', '100/2015/qh13'],
  ['luật tố tụng hành chính', '93/2015/qh13'],
  ['bộ luật lao động 2019', '45/2019/qh14'],
  ['bộ luật lao động 2012', '10/2012/qh13'],
  ['luật hôn nhân và gia đình', '52/2014/qh13'],
  ['luật bảo hiểm xã hội 2014', '58/2014/qh13'],
  ['luật giáo dục 2019', '43/2019/qh14'],
  ['luật viên chức', '58/2010/qh12'],
  ['luật cư trú', '68/2020/qh14'],
  ['luật an ninh mạng', '24/2018/qh14'],
  ['luật bảo vệ môi trường 2020', '72/2020/qh14'],
  ['luật việc làm', '38/2013/qh13'],
  ['luật thanh niên 2020', '57/2020/qh14'],
  ['luật tiếp cận thông tin', '104/2016/qh13'],
  ['luật bảo hiểm y tế 2008', '25/2008/qh12'],
  ['luật an toàn, vệ sinh lao động', '84/2015/qh13'],
  ['luật du lịch', '09/2017/qh14'],
  ['luật phòng, chống ma túy 2021', '73/2021/qh14'],
  ['luật trọng tài thương mại', '54/2010/qh12'],
  ['bộ luật hàng hải việt nam', '95/2015/qh13'],
  ['luật điện ảnh 2022', '05/2022/qh15'],
];

const CITE = /điều (\d+)[a-zđ]? ((?:bộ luật|luật|hiến pháp|nghị định|thông tư)[^,.:;\n]{0,80}|\d+\/\d{4}\/[a-zđ-]+)/u;

/** The labelled questions whose cited article is in `documents` (the zalo2021 corpus). */
export function hoidapQuestions(documents: readonly KnowledgeDocument[]): EvalQuestion[] {
  const file = dataPath('hoidap-pairs', 'pairs.jsonl');
  if (!existsSync(file)) return [];
  const ids = new Set(documents.flatMap((d) => d.units.map((u) => u.id)));
  const out: EvalQuestion[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const pair = JSON.parse(line) as { id: string | number; question: string; answer: string };
    const m = CITE.exec(pair.answer.slice(0, 400));
    if (!m) continue;
    const law = m[2];
    const number = /(\d+\/\d{4}\/[a-zđ-]+)/u.exec(law)?.[1] ?? NAMES.find(([name]) => law.startsWith(name))?.[1];
    const gold = number ? `${number}::${m[1]}` : undefined;
    if (gold && ids.has(gold)) out.push({ id: `hoidap:${pair.id}`, question: pair.question, relevant: [gold], style: 'hoidap' });
  }
  return out;
}
