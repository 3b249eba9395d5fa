import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../app/config.ts';
import { openRuntime } from '../app/runtime.ts';
import { startServer } from '../app/server.ts';
import { ConsultationService } from '../consultations/service.ts';
import type { CommentChannel, Stance } from '../consultations/types.ts';

/**
 * `npm run bench -- consultations`: one draft with 10,000 comments on the whole server
 * (SQLite, or PostgreSQL with LOA_BENCH_DATABASE_URL): the console's pages, the exports and
 * the public page (targets: under 1 s each), and grouping every comment into themes
 * (target: under 30 s). A third of the comments are copies (campaigns).
 */

const N = Number(process.env.LOA_BENCH_COMMENTS ?? 10_000);
const ADMIN = { email: 'bench@loa.test', password: 'bench-password-123' };
const DRAFT = fileURLToPath(new URL('../consultations/sample/du-thao-nghi-dinh-xe-dap-dien.md', import.meta.url));

const OPENINGS = ['Tôi đề nghị', 'Theo tôi', 'Kính đề nghị ban soạn thảo', 'Ý kiến của tôi là', 'Cần xem xét lại:', 'Tôi thấy'];
const TOPICS: Record<string, string[]> = {
  '2': ['bổ sung người đi bộ vào đối tượng áp dụng', 'làm rõ cơ quan quản lý nhà nước nào', 'thêm hộ kinh doanh cá thể cho thuê xe'],
  '3': ['định nghĩa cần gồm xe máy điện', 'điểm đỗ không nên đặt trên vỉa hè hẹp', 'cho thuê theo lượt chứ không chỉ theo giờ'],
  '4': ['200 xe là quá nhiều với doanh nghiệp nhỏ', 'ký quỹ 500 triệu quá cao', 'phần mềm định vị phải công khai dữ liệu'],
  '5': ['mức phạt 500.000 đồng quá cao so với thu nhập', 'doanh nghiệp phải bị phạt nặng hơn khi bỏ xe hỏng', '48 giờ là quá lâu để thu gom xe hỏng'],
  '6': ['nên lùi hiệu lực sang năm 2028', 'cần thời gian chuyển tiếp cho doanh nghiệp đang hoạt động'],
};
const TAILS = ['', ' vì ảnh hưởng tới người dân', ' để bảo đảm công bằng', ' theo kinh nghiệm các nước', ' mong ban soạn thảo lưu ý', ' cảm ơn'];
const CAMPAIGN = 'Chúng tôi phản đối mức phạt người sử dụng tại Điều 5 vì quá nặng so với lỗi vi phạm.';
const CHANNELS: CommentChannel[] = ['zalo', 'zalo', 'zalo', 'telegram', 'webchat', 'page', 'page'];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

export async function runConsultationsBench(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loa-bench-consult-'));
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOA_DATA_DIR: dataDir,
    LOA_LOG_LEVEL: 'silent',
    LOA_SAMPLE_KNOWLEDGE: 'false',
    // The bench signs in by password only; the second factor has its own tests.
    LOA_REQUIRE_TOTP: 'none',
    LOA_ADMIN_EMAIL: ADMIN.email,
    LOA_ADMIN_PASSWORD: ADMIN.password,
    ...(process.env.LOA_BENCH_DATABASE_URL ? { DATABASE_URL: process.env.LOA_BENCH_DATABASE_URL } : {}),
  });
  const runtime = await openRuntime(config);
  const loa = await startServer(runtime);
  try {
    const store = runtime.storage.consultations;
    const service = new ConsultationService({ store, clock: () => new Date() });
    const now = Date.now();
    const c = await service.create(
      {
        slug: `bench-${now}`,
        title: 'Dự thảo Nghị định về xe đạp điện dùng chung',
        summary: '',
        scope: '',
        questions: [],
        asks: { name: false, organisation: true, contact: false },
        opensAt: new Date(now - 30 * 86_400_000).toISOString(),
        closesAt: new Date(now + 86_400_000).toISOString(),
        consultedCount: 120,
        officers: [],
        createdBy: ADMIN.email,
      },
      { name: 'du-thao.md', bytes: readFileSync(DRAFT) },
    );
    const rnd = seeded(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const articles = Object.keys(TOPICS);
    const insert = await timed(async () => {
      for (let i = 0; i < N; i++) {
        const campaign = rnd() < 0.33;
        const article = campaign ? '5' : pick(articles);
        const clause = article === '2' || article === '3' || article === '4' || article === '5' ? `${article}.${1 + Math.floor(rnd() * 2)}` : article;
        const stance: Stance = campaign ? 'disagree' : pick(['agree', 'disagree', 'disagree', 'other'] as const);
        const text = campaign ? CAMPAIGN : `${pick(OPENINGS)} ${pick(TOPICS[article])}${pick(TAILS)}.`;
        const createdAt = new Date(now - Math.floor(rnd() * 29 * 86_400_000));
        await store.saveComment({ consultationId: c.id, version: 1, unitKey: clause, channel: pick(CHANNELS), citizenId: `c-${i}`, stance, text, organisation: rnd() < 0.05 ? `Công ty ${i % 40}` : undefined }, createdAt);
      }
    });

    const login = await fetch(`${loa.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const cookie = login.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const get = async (path: string) => {
      const res = await fetch(`${loa.url}${path}`, { headers: { cookie } });
      const body = Buffer.from(await res.arrayBuffer());
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      return body.length;
    };
    const base = `/api/admin/consultations/${c.id}`;
    const grouping = await timed(async () => {
      const res = await fetch(`${loa.url}${base}/themes/auto`, { method: 'POST', headers: { cookie, 'X-CSRF-Token': csrfToken } });
      return ((await res.json()) as { created: number }).created;
    });
    const rows: [string, number, number][] = [];
    const pages: [string, string][] = [
      ['console: consultation (figures, heat map)', base],
      ['console: themes', `${base}/themes`],
      ['console: comments', `${base}/comments`],
      ['console: synthesis (JSON)', `${base}/synthesis`],
      ['export DOCX', `${base}/export.docx`],
      ['export XLSX', `${base}/export.xlsx`],
      ['export CSV', `${base}/export.csv`],
      ['public page /gop-y/<slug>', `/gop-y/${c.slug}`],
    ];
    for (const [label, path] of pages) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const r = await timed(() => get(path));
        times.push(r.ms);
        bytes = r.value;
      }
      times.sort((a, b) => a - b);
      rows.push([label, times[2], bytes]);
    }
    console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
    console.log(`backend: ${config.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}; ${N} comments on one draft (${(insert.ms / 1000).toFixed(1)} s to insert one by one)`);
    console.log(`grouping every comment into themes: ${(grouping.ms / 1000).toFixed(2)} s → ${grouping.value} themes (target < 30 s)`);
    console.log('request (median of 5)                          ms      bytes   (target < 1000 ms)');
    for (const [label, ms, bytes] of rows) console.log(`${label.padEnd(45)} ${ms.toFixed(0).padStart(6)} ${String(bytes).padStart(10)}`);
  } finally {
    await loa.close();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
