/** The retrieval index's build status, as the console shows it. */
import type { BuildProgress } from './index-builder.ts';

export type IndexState = 'idle' | 'building' | 'failed';

export interface IndexStatus {
  /** idle: the serving index is the newest build; building: a build runs; failed: the last build failed. */
  state: IndexState;
  /** Knowledge revision of the index answering questions now. */
  servingRevision: number;
  /** Units (articles, clauses, passages, FAQs) in the serving index. */
  units: number;
  /** While building: the revision being built and how far it got. */
  building?: { revision: number; startedAt: string; progress?: BuildProgress };
  /** The last build that succeeded in this process. */
  lastBuild?: { at: string; ms: number };
  /** The last build that failed, when it is the latest outcome. */
  failure?: { at: string; reason: string };
}

/** Holds the status; the library updates it as builds start, progress, finish or fail. */
export class IndexStatusTracker {
  private s: IndexStatus;

  constructor(revision: number, units: number) {
    this.s = { state: 'idle', servingRevision: revision, units };
  }

  snapshot(): IndexStatus {
    return structuredClone(this.s);
  }

  building(revision: number): void {
    this.s = { ...this.s, state: 'building', building: { revision, startedAt: new Date().toISOString() } };
  }

  progress(p: BuildProgress): void {
    if (this.s.building) this.s.building.progress = p;
  }

  built(revision: number, units: number, ms: number): void {
    const { failure: _gone, building: _done, ...rest } = this.s;
    this.s = { ...rest, state: 'idle', servingRevision: revision, units, lastBuild: { at: new Date().toISOString(), ms } };
  }

  /** The serving index was patched in place (a status change) up to `revision`. */
  patched(revision: number): void {
    this.s = { ...this.s, servingRevision: revision };
  }

  failed(reason: string): void {
    const { building: _done, ...rest } = this.s;
    this.s = { ...rest, state: 'failed', failure: { at: new Date().toISOString(), reason } };
  }
}
