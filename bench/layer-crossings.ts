import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';

/**
 * `npm run bench -- layers`: how many folders a reader crosses following one Zalo message to
 * its reply (issue 8 asks for fewer). The message's path is fixed below, in call order, as
 * docs/ARCHITECTURE.md ("One citizen message, in order") tells it; for each module on it we
 * count the other folders it imports from (what a reader must open to understand that step),
 * from dependency-cruiser's graph with the repository's `.dependency-cruiser.cjs`.
 */
const MESSAGE_PATH = [
  'bots/zalo/webhook.ts',
  'bots/zalo/signature.ts',
  'bots/zalo/incoming-message.ts',
  'bots/core/conversation-core.ts',
  'bots/core/pipeline/record-incoming.ts',
  'storage/sqlite/inbox-store.ts',
  'bots/core/handle-message.ts',
  'bots/core/classify.ts',
  'bots/core/pipeline/respond.ts',
  'bots/core/pipeline/answer-question.ts',
  'app/runtime.ts',
  'retrieval/engine.ts',
  'storage/sqlite/conversation-store.ts',
  'bots/core/pipeline/enqueue-reply.ts',
  'storage/sqlite/outbox-store.ts',
  'bots/core/outbox-worker.ts',
  'bots/core/send-pool.ts',
  'bots/zalo/send-message.ts',
  'bots/zalo/oa-client.ts',
];

interface CruisedModule {
  source: string;
  dependencies: { resolved: string; coreModule: boolean }[];
}

/** Our own modules each module imports (no packages, no Node built-ins). */
function importGraph(): Map<string, string[]> {
  const json = execFileSync('npx', ['depcruise', '--config', '.dependency-cruiser.cjs', '--output-type', 'json', '.'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const modules = (JSON.parse(json) as { modules: CruisedModule[] }).modules;
  return new Map(
    modules.map((m) => [m.source, m.dependencies.filter((d) => !d.coreModule && !d.resolved.startsWith('node_modules/')).map((d) => d.resolved)]),
  );
}

export async function runLayerCrossingsBench(): Promise<void> {
  const graph = importGraph();
  let crossings = 0;
  let intoDomain = 0;
  const opened = new Set<string>();
  for (const file of MESSAGE_PATH) {
    const own = dirname(file);
    opened.add(own);
    const others = [...new Set((graph.get(file) ?? []).map(dirname))].filter((d) => d !== own).sort();
    others.forEach((d) => opened.add(d));
    crossings += others.length;
    if (others.includes('domain')) intoDomain += 1;
    console.log(`${file.padEnd(40)} ${others.join(', ') || '-'}`);
  }
  const hops = MESSAGE_PATH.slice(1).filter((f, i) => dirname(f) !== dirname(MESSAGE_PATH[i])).length;
  console.log(`\nmodules on the path ${MESSAGE_PATH.length}, folder changes along the calls ${hops}`);
  console.log(`folder crossings (path module → another folder it imports) ${crossings}, of which into domain/ ${intoDomain}; folders opened ${opened.size}`);
}
