import { createHash, randomBytes } from 'node:crypto';

/** Codes issued when the second factor is turned on (each works once). */
export const RECOVERY_CODE_COUNT = 10;

/** Crockford's base32 in lower case: no i, l, o, u, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const CODE_CHARS = 10; // 50 random bits: out of reach of the throttled login

/** New recovery codes, shown to their owner once, as `xxxxx-xxxxx`. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(CODE_CHARS);
    const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/**
 * A typed code in its canonical form (case, spaces and dashes ignored; o → 0, i/l → 1, as
 * Crockford decodes), or undefined when it cannot be a recovery code.
 */
export function normalizeRecoveryCode(input: string): string | undefined {
  const s = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return s.length === CODE_CHARS && [...s].every((c) => ALPHABET.includes(c)) ? s : undefined;
}

/**
 * What is stored: SHA-256 of the canonical code, salted with the account id. The codes are
 * random (50 bits), so a fast hash is enough; the salt keeps equal codes of two accounts apart.
 */
export const hashRecoveryCode = (userId: string, canonical: string): string =>
  createHash('sha256').update(`loa-recovery-v1\n${userId}\n${canonical}`).digest('hex');
