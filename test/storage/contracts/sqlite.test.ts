import { describe } from 'vitest';
import { storeContracts } from './all.ts';
import { sqliteBackend } from './sqlite-backend.ts';

describe('SQLite stores (shared contracts)', () => {
  storeContracts(sqliteBackend);
});
