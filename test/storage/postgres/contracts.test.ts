import { describe } from 'vitest';
import { usePostgres } from '../../support/services.ts';
import { storeContracts } from '../contracts/all.ts';
import { postgresBackend } from './backend.ts';

const available = await usePostgres();

describe.runIf(available)('PostgreSQL stores (shared contracts)', () => {
  storeContracts(postgresBackend);
});
