import type { RetrieverOptions } from '../retrieval/index.ts';
import type { Config } from './config.ts';

/** The embeddings settings of `config`, as the retriever takes them (shared by the server and `loa eval`). */
export function embeddingsOptions(config: Config): RetrieverOptions['embeddings'] {
  return {
    kind: config.LOA_EMBEDDINGS,
    url: config.LOA_EMBEDDINGS_URL,
    model: config.LOA_EMBEDDINGS_MODEL,
    apiKey: config.LOA_EMBEDDINGS_API_KEY,
    modelDir: config.LOA_EMBEDDINGS_MODEL_DIR,
  };
}
