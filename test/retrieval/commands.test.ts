import { Command } from 'commander';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { formatAnswer, registerAsk } from '../../app/commands/ask.ts';
import { registerCalibrate } from '../../app/commands/calibrate.ts';
import { registerEval } from '../../app/commands/eval.ts';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../app/config.ts';
import { openRuntime } from '../../app/runtime.ts';
import { readConfidenceModel } from '../../retrieval/calibrate.ts';
import { testCorpusJsonl } from './fixtures.ts';

let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loa-cmd-'));
  process.env.LOA_LOG_LEVEL = 'silent';
});
afterAll(async () => {
  process.env = saved;
  await rm(dir, { recursive: true, force: true });
});

/** Runs one sub-command in-process and returns what it printed on stdout. */
async function run(register: (p: Command) => void, args: string[]): Promise<string> {
  const program = new Command('loa').exitOverride();
  register(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return out;
}

const metricsSchema = z.object({ n: z.number(), r1: z.number(), r5: z.number(), r10: z.number(), mrr10: z.number() });

describe('loa eval', () => {
  it('reports recall, MRR, per-group metrics, abstention and latency, and writes per-question results', async () => {
    const corpus = join(dir, 'corpus.jsonl');
    const questions = join(dir, 'questions.jsonl');
    const out = join(dir, 'results.jsonl');
    await writeFile(corpus, testCorpusJsonl());
    const qs = [
      { id: 'q1', question: 'Điều kiện đăng ký thường trú là gì?', relevant: ['Luật Cư trú::20'], style: 'accented' },
      { id: 'q2', question: 'dieu kien dang ky thuong tru la gi', relevant: ['Luật Cư trú::20'], style: 'no_diacritics' },
      { id: 'q3', question: 'doi cccd khi bao nhieu tuoi', relevant: ['Luật Căn cước::21'], style: 'no_diacritics' },
      { id: 'q4', question: 'Giá vàng hôm nay bao nhiêu?', relevant: [], in_scope: false, style: 'off_topic' },
      { id: 'q5', question: 'Hồ sơ của tôi đến đâu rồi?', relevant: [], in_scope: false, style: 'off_topic' },
    ];
    await writeFile(questions, `${qs.map((q) => JSON.stringify(q)).join('\n')}\n{"broken": true}\n`);
    const stdout = await run(registerEval, ['eval', '--corpus', corpus, '--questions', questions, '--out', out, '--json']);
    const summary = z
      .object({
        overall: metricsSchema,
        groups: z.record(z.string(), metricsSchema),
        abstention: z.object({ inScope: z.object({ n: z.number(), rate: z.number() }), outOfScope: z.object({ n: z.number(), rate: z.number() }) }),
        latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }),
        questions: z.number(),
      })
      .parse(JSON.parse(stdout));
    expect(summary.questions).toBe(5);
    expect(summary.overall).toMatchObject({ n: 3, r1: 1, mrr10: 1 });
    expect(Object.keys(summary.groups).sort()).toEqual(['accented', 'no_diacritics']);
    expect(summary.abstention.outOfScope).toEqual({ n: 2, rate: 1 });
    expect(summary.abstention.inScope.n).toBe(3);
    expect(summary.latencyMs.p95).toBeGreaterThan(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; ranked: string[]; abstained: boolean; confidence: number });
    expect(lines.map((l) => l.id)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    expect(lines[0].ranked[0]).toBe('Luật Cư trú::20');
    expect(lines[0].ranked.length).toBeGreaterThan(3);
    expect(lines[3].abstained).toBe(true);
  });

  it('prints a readable table without --json', async () => {
    const corpus = join(dir, 'corpus.jsonl');
    const questions = join(dir, 'q2.jsonl');
    await writeFile(questions, JSON.stringify({ id: 'a', question: 'lãi suất vay tối đa', relevant: ['Bộ luật dân sự::468'], split: 'dev' }));
    const stdout = await run(registerEval, ['eval', '--corpus', corpus, '--questions', questions]);
    expect(stdout).toMatch(/R@1\s+R@5\s+R@10\s+MRR@10/);
    expect(stdout).toMatch(/ {2}dev\s+1\s+1\.000/);
    expect(stdout).toMatch(/latency ms: p50/);
  });
});

describe('loa eval progress when piped', () => {
  it('writes a plain progress line every 10 questions (and at the end) when stderr is not a terminal', async () => {
    const corpus = join(dir, 'corpus-progress.jsonl');
    const questions = join(dir, 'q-progress.jsonl');
    await writeFile(corpus, testCorpusJsonl());
    const qs = Array.from({ length: 25 }, (_, i) => ({ id: `p${i}`, question: 'Điều kiện đăng ký thường trú là gì?', relevant: ['Luật Cư trú::20'] }));
    await writeFile(questions, qs.map((q) => JSON.stringify(q)).join('\n'));
    let err = '';
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
    try {
      await run(registerEval, ['eval', '--corpus', corpus, '--questions', questions, '--json']);
    } finally {
      spy.mockRestore();
      Object.defineProperty(process.stderr, 'isTTY', { value: tty, configurable: true });
    }
    const lines = err.split('\n').filter((l) => l.startsWith('eval: '));
    expect(lines.map((l) => l.replace(/, [\d.]+ s$/, ''))).toEqual(['eval: 10/25 questions (40%)', 'eval: 20/25 questions (80%)', 'eval: 25/25 questions (100%)']);
    // No progress-bar control characters in a log.
    expect(err.includes(String.fromCharCode(27))).toBe(false);
  });
});

describe('loa ask', () => {
  it('prints exactly the AskResult JSON with --json, from the knowledge base in LOA_DATA_DIR', async () => {
    process.env.LOA_DATA_DIR = join(dir, 'data');
    process.env.LOA_SAMPLE_KNOWLEDGE = 'true';
    const stdout = await run(registerAsk, ['ask', 'Thủ tục đăng ký khai sinh cần giấy tờ gì?', '--json']);
    const result = z
      .object({
        answer: z.string(),
        citations: z.array(z.object({ id: z.string(), title: z.string(), section: z.string(), status: z.string(), quote: z.string(), score: z.number() })),
        confidence: z.number(),
        abstained: z.boolean(),
        reason: z.string().optional(),
      })
      .parse(JSON.parse(stdout));
    expect(result.abstained).toBe(false);
    expect(result.citations.length).toBeGreaterThan(0);
    expect(result.answer).toMatch(/khai sinh/i);

    const human = await run(registerAsk, ['ask', 'xin chào']);
    expect(human).toMatch(/Độ tin cậy: 0\.00 — chuyển cán bộ phát ngôn/);
  });

  it('formats citations for people: title, section, status, quote, confidence', () => {
    const text = formatAnswer({
      outcome: 'answer',
      answer: 'Theo Điều 20 Luật Cư trú [1]: “…”',
      citations: [
        { id: 'a', title: 'Luật Cư trú', section: 'Điều 20', number: '68/2020/QH14', url: 'https://example.vn', status: 'in_force', quote: 'Công dân\ncó chỗ ở', score: 1 },
      ],
      confidence: 0.87,
      abstained: false,
    });
    expect(text).toContain('[1] Luật Cư trú (số hiệu 68/2020/QH14) — Điều 20');
    expect(text).toContain('Hiệu lực: còn hiệu lực');
    expect(text).toContain('https://example.vn');
    expect(text).toContain('“Công dân có chỗ ở”');
    expect(text).toContain('Độ tin cậy: 0.87');
  });
});

describe('loa calibrate', () => {
  it("refits confidence on the agency's labelled questions, reports the change, and the runtime then uses it", async () => {
    process.env.LOA_DATA_DIR = join(dir, 'data');
    process.env.LOA_SAMPLE_KNOWLEDGE = 'true';
    const top = z.object({ citations: z.array(z.object({ id: z.string() })) }).parse(JSON.parse(await run(registerAsk, ['ask', 'Thủ tục đăng ký khai sinh cần giấy tờ gì?', '--json'])));
    const right = top.citations[0].id;
    const labels = join(dir, 'labels.jsonl');
    await writeFile(
      labels,
      [
        { question: 'Thủ tục đăng ký khai sinh cần giấy tờ gì?', unit_id: right },
        { question: 'đăng ký khai sinh cho con cần mang gì', relevant: [right] },
        // A label whose unit is not what retrieval puts first: a negative example.
        { question: 'Thủ tục đăng ký khai sinh ở đâu?', unit_id: 'tom-tat-dang-ky-ket-hon::khong-co' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    );
    const file = join(dir, 'data', 'confidence.json');
    const dry = await run(registerCalibrate, ['calibrate', '--questions', labels, '--no-store', '--dry-run']);
    expect(dry).toMatch(/^3 labelled questions \(2 with the labelled unit on top\), threshold 0\.6/);
    expect(dry).toMatch(/current: answers [\d.]+% of them, right [\d.]+% of those/);
    expect(existsSync(file)).toBe(false);

    const written = await run(registerCalibrate, ['calibrate', '--questions', labels, '--no-store']);
    expect(written).toContain(`written to ${file}`);
    const model = await readConfidenceModel(file);
    expect(model?.weights.margin).toEqual(expect.any(Number));
    const runtime = await openRuntime(loadConfig());
    try {
      expect(runtime.retriever().confidenceModel).toEqual(model);
    } finally {
      await runtime.close();
    }
  });

  it('refuses to run without any labelled question', async () => {
    process.env.LOA_DATA_DIR = join(dir, 'data');
    await expect(run(registerCalibrate, ['calibrate', '--no-store', '--dry-run'])).rejects.toThrow(/no labelled questions/);
  });
});
