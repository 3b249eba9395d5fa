import { randomBytes } from 'node:crypto';
import type { SecretStore } from '../../bots/core/ports.ts';

/**
 * A random 256-bit key kept in the secret store under `name`, made on first use (known-device
 * cookies, report pseudonyms). Created once and read back, so every instance that starts
 * later uses the stored one.
 */
export async function serverKey(secrets: SecretStore, name: string): Promise<Buffer> {
  const stored = await secrets.get(name);
  if (stored) return Buffer.from(stored, 'base64');
  await secrets.setMany({ [name]: randomBytes(32).toString('base64') });
  const again = await secrets.get(name);
  if (!again) throw new Error(`could not store the key ${name}`);
  return Buffer.from(again, 'base64');
}
