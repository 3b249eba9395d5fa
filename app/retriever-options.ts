import type { Logger } from 'pino';
import type { RetrieverOptions } from '../retrieval/index.ts';
import type { Config } from './config.ts';
import { embeddingsOptions } from './embeddings-options.ts';

export type ProgressFn = (done: number, total: number, stage: string) => void;

/** The retriever's options from the configuration (shared by the server and the index worker). */
export function retrieverOptions(config: Config, logger: Logger | undefined, revision: number, onProgress?: ProgressFn): RetrieverOptions {
  return {
    abstainThreshold: config.LOA_ABSTAIN_THRESHOLD,
    clarifyFloor: config.LOA_CLARIFY_FLOOR,
    revision,
    agencyName: config.LOA_AGENCY_NAME,
    logger,
    onProgress,
    llm: config.LOA_LLM_URL && config.LOA_LLM_MODEL ? { url: config.LOA_LLM_URL, model: config.LOA_LLM_MODEL, apiKey: config.LOA_LLM_API_KEY } : undefined,
    embeddings: embeddingsOptions(config),
  };
}
