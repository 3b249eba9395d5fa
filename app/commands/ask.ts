import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { AskResult } from '../../domain/answer.ts';

interface AskCliOptions {
  json?: boolean;
  history?: string[];
}

const STATUS_LABEL: Record<string, string> = {
  in_force: 'còn hiệu lực',
  amended: 'đã được sửa đổi, bổ sung',
  superseded: 'đã bị thay thế',
  expired: 'hết hiệu lực',
  unknown: 'chưa rõ hiệu lực',
};

const REASON_LABEL: Record<string, string> = {
  no_knowledge: 'chưa có văn bản',
  empty_question: 'câu hỏi trống hoặc quá ngắn',
  out_of_scope: 'ngoài phạm vi',
  low_confidence: 'chưa đủ căn cứ',
  prompt_injection: 'yêu cầu thay đổi hướng dẫn',
  personal_case: 'hồ sơ cá nhân',
};

/** The human-readable form of an answer: text, numbered sources, confidence. */
export function formatAnswer(result: AskResult): string {
  const lines = [result.answer, ''];
  if (result.citations.length > 0) {
    lines.push('Nguồn trích dẫn:');
    result.citations.forEach((c, i) => {
      const number = c.number ? ` (số hiệu ${c.number})` : '';
      const kind = c.kind === 'faq' ? ' [câu trả lời đã phê duyệt]' : c.isSummary ? ' [bản tóm tắt]' : '';
      lines.push(`[${i + 1}] ${c.title}${number} — ${c.section}${kind}`);
      lines.push(`    Hiệu lực: ${STATUS_LABEL[c.status] ?? c.status}`);
      if (c.url) lines.push(`    ${c.url}`);
      lines.push(`    “${c.quote.replace(/\s*\n\s*/g, ' ')}”`);
    });
    lines.push('');
  }
  const reason = result.abstained ? ` — chuyển cán bộ phát ngôn (${REASON_LABEL[result.reason ?? ''] ?? result.reason})` : '';
  lines.push(`Độ tin cậy: ${result.confidence.toFixed(2)}${reason}`);
  return lines.join('\n');
}

/**
 * `loa ask "<question>" [--json]`: answers one question from the knowledge base under
 * LOA_DATA_DIR (loading the saved index, or building it if the knowledge changed).
 */
export function registerAsk(program: Command): void {
  program
    .command('ask')
    .description('Answer one question from the knowledge base, with citations (LOA_DATA_DIR)')
    .argument('<question...>', 'the question, in Vietnamese (quotes optional)')
    .option('--json', 'print exactly the AskResult JSON (the contract of POST /api/ask)')
    .option('--history <question>', 'an earlier question of the conversation (repeatable, oldest first)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (words: string[], opts: AskCliOptions) => {
      const question = words.join(' ');
      const config = loadConfig();
      // Logs go to stderr; keep them quiet unless asked so stdout stays the answer.
      const logger = createLogger(config.LOA_LOG_LEVEL === 'info' ? 'warn' : config.LOA_LOG_LEVEL);
      // The retrieval stack is heavy: load it only for this command.
      const { openRuntime } = await import('../runtime.ts');
      const runtime = await openRuntime(config, { logger });
      try {
        const result = await runtime.retriever().ask(question, { history: opts.history });
        process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : `${formatAnswer(result)}\n`);
      } finally {
        await runtime.close();
      }
    });
}
