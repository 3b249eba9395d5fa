import { createFaqFromEscalation, faqModule } from '../../admin/faqs/index.ts';
import { documentModule } from '../../admin/documents/index.ts';
import { reportModule } from '../../admin/reports/index.ts';
import { createAdminDeps } from '../../admin/index.ts';
import type { AdminDeps } from '../../admin/types.ts';
import type { AskResult } from '../../retrieval/types.ts';
import { startTestLoa, type TestLoa } from './harness.ts';

/**
 * Starts Loa with the FAQ, document and report modules mounted (and the escalation reply's
 * `saveAsFaq` hook wired to `createFaqFromEscalation`), as app/server.ts will.
 */
export async function startLoaWithContent(env: Record<string, string> = {}): Promise<TestLoa & { deps: () => AdminDeps }> {
  let captured: AdminDeps | undefined;
  const started: { loa?: TestLoa } = {};
  // When app/server.ts mounts the console itself, the harness does not call `modules`: build equal deps.
  const deps = (): AdminDeps => {
    if (captured) return captured;
    const t = started.loa;
    if (!t) throw new Error('Loa is not started');
    return (captured = createAdminDeps(t.runtime, t.loa.core));
  };
  const t = await startTestLoa(env, {
    modules: (d) => {
      captured = d;
      return [faqModule(d), documentModule(d), reportModule(d)];
    },
    admin: { hooks: { saveAsFaq: (input) => createFaqFromEscalation(deps(), input) } },
  });
  started.loa = t;
  return Object.assign(t, { deps });
}

/** `POST /api/ask` as a citizen's client would. */
export async function ask(url: string, question: string): Promise<AskResult> {
  const res = await fetch(`${url}/api/ask`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  if (res.status !== 200) throw new Error(`ask: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as AskResult;
}
