import type { SecretStore } from '../../bots/core/types.ts';

/** A SecretStore in a Map, for channel tests that need no database. */
export class MemorySecrets implements SecretStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async setMany(values: Record<string, string>): Promise<void> {
    for (const [k, v] of Object.entries(values)) this.values.set(k, v);
  }
}
