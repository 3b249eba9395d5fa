import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the time went: self time per
 * function and per area of the code (a product folder, a dependency, Node internals,
 * garbage collection, idle). Used by the Zalo webhook benchmark's `--profile`.
 */

const nodeSchema = z.object({
  id: z.number(),
  callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
  children: z.array(z.number()).optional(),
});
const profileSchema = z.object({
  nodes: z.array(nodeSchema),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileLine {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by area of the code, largest first. */
  areas: ProfileLine[];
  /** Self time by function, largest first. */
  functions: ProfileLine[];
  /** Inclusive time of selected product entry points (function name → ms). */
  inclusive: ProfileLine[];
}

/** Named function every webhook goes through: the profile window starts at its first sample (after start-up). */
export const WEBHOOK_HANDLER = 'recordIncoming';

/** Product functions whose inclusive time the benchmark reports. */
export const ENTRY_POINTS = ['recordIncoming', 'handleMessage', 'answerQuestion', 'ask', 'escalate', 'deliver', 'sendText', 'recordTurn', 'enqueueReply'];

/** Which part of the system a script URL belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program: native, not attributed)';
    return `(native: ${functionName || 'anonymous'})`;
  }
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return `dependency: ${dep[1]}`;
  if (url.includes('internal/deps/undici')) return 'node: undici (fetch)';
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/')[0]}`;
  const own = /\/work\/main\/([^/]+)\/(?:([^/]+)\/)?/.exec(url) ?? /file:\/\/.*?\/(app|bots|retrieval|storage|admin|knowledge)\/(?:([^/]+)\/)?/.exec(url);
  if (own) return `loa: ${own[1]}${own[2] && !own[2].includes('.') ? `/${own[2]}` : ''}`;
  return url;
}

export interface ProfileOptions {
  /** Function names whose inclusive time is reported. */
  entryPoints?: string[];
  /** Lines per table (default 25). */
  top?: number;
  /** Ignore samples before the first one with this function on the stack (e.g. start-up). */
  startAt?: string;
}

/** Summarises a `.cpuprofile` file. */
export function summariseCpuProfile(file: string, options: ProfileOptions = {}): ProfileSummary {
  const { entryPoints = [], top = 25, startAt } = options;
  const profile = profileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const onStack = (id: number, name: string): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) if (byId.get(at)?.callFrame.functionName === name) return true;
    return false;
  };
  const first = startAt ? Math.max(0, profile.samples.findIndex((id) => onStack(id, startAt))) : 0;
  const self = new Map<number, number>();
  let totalMs = 0;
  // A sample's delta is the time since the previous sample: it belongs to this sample.
  for (let i = first; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + ms);
  }

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const short = url ? `${url.replace(/^.*\/(node_modules\/|work\/main\/)/, '')}:${lineNumber + 1}` : '';
    const fn = `${functionName || '(anonymous)'}${short ? ` ${short}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
    // Inclusive: walk up once per distinct entry point on the stack.
    const counted = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)?.callFrame.functionName ?? '';
      if (entryPoints.includes(name) && !counted.has(name)) {
        counted.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
      }
    }
  }
  const lines = (m: Map<string, number>, n: number): ProfileLine[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms, share: ms / totalMs }));
  return { totalMs, areas: lines(areas, top), functions: lines(functions, top), inclusive: lines(inclusive, entryPoints.length) };
}

/** The summary as text for the console. */
export function formatProfile(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  const block = (title: string, lines: ProfileLine[]) =>
    [`${title}:`, ...lines.map((l) => `  ${pct(l.share)}  ${l.ms.toFixed(0).padStart(6)} ms  ${l.name}`)].join('\n');
  return [
    `CPU profile: ${(s.totalMs / 1000).toFixed(1)} s of wall time in the server's main thread (shares of that time)`,
    block('Self time by area', s.areas),
    block('Self time by function', s.functions),
    ...(s.inclusive.length ? [block('Inclusive time of entry points', s.inclusive)] : []),
  ].join('\n');
}

// `node bin/run-ts.js bench/zalo-webhook-profile.ts <file.cpuprofile> [entry point …]`
const direct = process.argv.slice(2).find((a) => a.endsWith('.cpuprofile'));
if (direct) {
  const entryPoints = process.argv.slice(2).filter((a) => a !== direct);
  console.log(formatProfile(summariseCpuProfile(direct, { entryPoints, startAt: WEBHOOK_HANDLER })));
}
