import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Shortest password the console accepts. */
export const MIN_PASSWORD_LENGTH = 10;
/** Longest (bounds the work an attacker can make one login cost). */
export const MAX_PASSWORD_LENGTH = 256;

/** scrypt parameters: memory-hard (128 · N · r bytes = 32 MiB per hash). */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** Thrown when too many password checks are already waiting: the caller answers 503. */
export class PasswordWorkBusyError extends Error {
  constructor() {
    super('Too many password checks in progress');
    this.name = 'PasswordWorkBusyError';
  }
}

/**
 * At most this many scrypt computations at once (32 MiB each), the rest wait in line: a
 * flood of logins costs bounded memory and leaves the thread pool to the rest of the server.
 */
export const MAX_CONCURRENT_HASHES = 2;
/** Beyond this many waiting, a check is refused at once rather than queued. */
export const MAX_WAITING_HASHES = 64;

let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) {
    if (waiting.length >= MAX_WAITING_HASHES) throw new PasswordWorkBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running++;
  }
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next in line, or free it.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/** Password checks running or waiting now (tests and metrics). */
export const hashWork = () => ({ running, waiting: waiting.length });

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return withHashSlot(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
      }),
  );
}

/** Node's default maxmem (32 MiB) is just below what N=2^15, r=8 needs. */
const maxmem = (N: number, r: number) => 256 * N * r;

/** Hashes a password into a self-describing string: `scrypt$N$r$p$<salt b64>$<hash b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = PARAMS;
  const key = await scryptAsync(password, salt, KEY_BYTES, { N, r, p, maxmem: maxmem(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * Checks a password against a stored hash in constant time. Parameters come from the
 * stored string, so hashes made with older parameters keep working. False for anything
 * malformed.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  // Refuse absurd parameters rather than let a corrupt row exhaust memory.
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (salt.length === 0 || expected.length === 0) return false;
  const key = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return timingSafeEqual(key, expected);
}

/** A hash of nothing anybody knows: verified against when the email is unknown, so timing does not reveal accounts. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}

// No 0/O, 1/l/I: the one-time password is read off a screen and typed.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random one-time password (16 characters, about 94 bits). */
export function generatePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
