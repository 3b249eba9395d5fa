/** Loading the evaluation data used by the retrieval benchmark and calibration. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseJsonlCorpus } from '../knowledge/parse/jsonl.ts';
import type { KnowledgeDocument } from '../domain/document.ts';
import { parseQuestions, type EvalQuestion } from '../retrieval/evaluate.ts';

/** Where the shared ALQAC data lives (override with LOA_BENCH_DATA). */
export const DATA_DIR = process.env.LOA_BENCH_DATA ?? '/work/shared/data';

export function dataPath(...parts: string[]): string {
  return resolve(DATA_DIR, ...parts);
}

export function haveData(name: string): boolean {
  return existsSync(dataPath(name, 'corpus.jsonl')) && existsSync(dataPath(name, 'questions.jsonl'));
}

export function loadCorpus(file: string): KnowledgeDocument[] {
  return parseJsonlCorpus(readFileSync(file, 'utf8'), file).documents;
}

export function loadQuestions(file: string): EvalQuestion[] {
  return parseQuestions(readFileSync(file, 'utf8')).questions;
}

export function loadSet(name: string): { documents: KnowledgeDocument[]; questions: EvalQuestion[] } {
  return { documents: loadCorpus(dataPath(name, 'corpus.jsonl')), questions: loadQuestions(dataPath(name, 'questions.jsonl')) };
}
