import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../app/config.ts';
import { seedSampleKnowledge } from '../../../app/runtime.ts';
import { openPostgresPool } from '../../../storage/postgres/database.ts';
import { PostgresKnowledgeStore } from '../../../storage/postgres/knowledge-store.ts';
import { createTempSchema, usePostgres } from '../../support/services.ts';

const available = await usePostgres();

describe.runIf(available)('sample seeding with PostgreSQL', () => {
  it('two instances starting at once on an empty database store the samples once, completely', async () => {
    const temp = await createTempSchema();
    const pools = [openPostgresPool(temp.url, { max: 2 }), openPostgresPool(temp.url, { max: 2 })];
    try {
      const stores = await Promise.all(pools.map((p) => PostgresKnowledgeStore.open(p)));
      const config = loadConfig({ LOA_DATA_DIR: '/tmp/loa-seed-unused', DATABASE_URL: temp.url });
      const silent = pino({ level: 'silent' });
      // Both see an empty store and both seed: the second transaction finds every document unchanged.
      await Promise.all(stores.map((knowledge) => seedSampleKnowledge(config, { knowledge }, silent)));
      const docs = await stores[0].listDocuments();
      expect(docs.length).toBeGreaterThanOrEqual(30);
      expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
      const units = (await stores[1].allDocuments()).reduce((n, d) => n + d.units.length, 0);
      expect(units).toBe(docs.reduce((n, d) => n + d.unitCount, 0));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await temp.drop();
    }
  });
});
