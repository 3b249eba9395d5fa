import { randomUUID } from 'node:crypto';
import type { Role, StaffUser } from '../../domain/roles.ts';
import {
  DuplicateEmailError,
  normalizeEmail,
  type LoginFailureOutcome,
  type NewStaffUser,
  type StaffCredentials,
  type StaffUserPatch,
  type UserStore,
} from '../user-store.ts';
import { iso, isoOrUndefined, migrate, query, withTransaction, type PgParam, type PgPool } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE staff_users (
     seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
     id text PRIMARY KEY,
     email text NOT NULL UNIQUE,
     name text NOT NULL,
     role text NOT NULL CHECK (role IN ('admin', 'spokesperson', 'viewer')),
     disabled boolean NOT NULL DEFAULT false,
     password_hash text NOT NULL,
     failed_logins integer NOT NULL DEFAULT 0,
     locked_until timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     last_login_at timestamptz
   );`,
  // A generated or administrator-set password must be replaced at the next sign-in.
  'ALTER TABLE staff_users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;',
  // Second factor: the TOTP secret, and the last time step used (a code works once).
  'ALTER TABLE staff_users ADD COLUMN totp_secret text, ADD COLUMN totp_last_step bigint;',
];

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
  last_login_at: Date | null;
  must_change_password: boolean;
  totp_secret: string | null;
}

function toUser(row: UserRow): StaffUser {
  const lastLoginAt = isoOrUndefined(row.last_login_at);
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    disabled: row.disabled,
    createdAt: iso(row.created_at),
    ...(lastLoginAt ? { lastLoginAt } : {}),
    ...(row.must_change_password ? { mustChangePassword: true } : {}),
    ...(row.totp_secret ? { totpEnabled: true } : {}),
  };
}

function toCredentials(row: UserRow): StaffCredentials {
  const lockedUntil = isoOrUndefined(row.locked_until);
  return {
    user: toUser(row),
    passwordHash: row.password_hash,
    failedLogins: row.failed_logins,
    ...(lockedUntil ? { lockedUntil } : {}),
    ...(row.totp_secret ? { totpSecret: row.totp_secret } : {}),
  };
}

/** Staff accounts in PostgreSQL. */
export class PostgresUserStore implements UserStore {
  private constructor(private readonly pool: PgPool) {}

  static async open(pool: PgPool): Promise<PostgresUserStore> {
    await migrate(pool, 'staff_users', MIGRATIONS);
    return new PostgresUserStore(pool);
  }

  async create(input: NewStaffUser, now: Date): Promise<StaffUser> {
    const email = normalizeEmail(input.email);
    const { rows } = await query<UserRow>(
      this.pool,
      `INSERT INTO staff_users (id, email, name, role, password_hash, created_at, updated_at, must_change_password)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7) ON CONFLICT (email) DO NOTHING RETURNING *`,
      [randomUUID(), email, input.name, input.role, input.passwordHash, now, input.mustChangePassword === true],
    );
    if (!rows[0]) throw new DuplicateEmailError(email);
    return toUser(rows[0]);
  }

  async get(id: string): Promise<StaffUser | undefined> {
    const row = await this.byId(id);
    return row && toUser(row);
  }

  async getByEmail(email: string): Promise<StaffUser | undefined> {
    const row = await this.byEmail(email);
    return row && toUser(row);
  }

  async credentials(email: string): Promise<StaffCredentials | undefined> {
    const row = await this.byEmail(email);
    return row && toCredentials(row);
  }

  async credentialsById(id: string): Promise<StaffCredentials | undefined> {
    const row = await this.byId(id);
    return row && toCredentials(row);
  }

  async list(): Promise<StaffUser[]> {
    const { rows } = await query<UserRow>(this.pool, 'SELECT * FROM staff_users ORDER BY created_at, seq');
    return rows.map(toUser);
  }

  async update(id: string, patch: StaffUserPatch, now: Date): Promise<StaffUser | undefined> {
    const sets: string[] = [];
    const params: PgParam[] = [id, now];
    const set = (column: string, value: PgParam) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.role !== undefined) set('role', patch.role);
    if (patch.disabled !== undefined) set('disabled', patch.disabled);
    if (!sets.length) return this.get(id);
    const { rows } = await query<UserRow>(this.pool, `UPDATE staff_users SET ${sets.join(', ')}, updated_at = $2 WHERE id = $1 RETURNING *`, params);
    return rows[0] && toUser(rows[0]);
  }

  async setPassword(id: string, passwordHash: string, now: Date, opts: { mustChange?: boolean } = {}): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      'UPDATE staff_users SET password_hash = $1, must_change_password = $4, failed_logins = 0, locked_until = NULL, updated_at = $2 WHERE id = $3',
      [passwordHash, now, id, opts.mustChange === true],
    );
    return (rowCount ?? 0) > 0;
  }

  async setTotp(id: string, secret: string | undefined, now: Date): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'UPDATE staff_users SET totp_secret = $1, totp_last_step = NULL, updated_at = $2 WHERE id = $3', [secret ?? null, now, id]);
    return (rowCount ?? 0) > 0;
  }

  async useTotpStep(id: string, step: number): Promise<boolean> {
    const sql = 'UPDATE staff_users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)';
    const { rowCount } = await query(this.pool, sql, [step, id]);
    return (rowCount ?? 0) > 0;
  }

  async recordLoginFailure(id: string, now: Date, policy: { maxFailures: number; lockMs: number }): Promise<LoginFailureOutcome> {
    // The increment's row lock is held until commit: parallel wrong guesses (on any instance) count one by one.
    return withTransaction(this.pool, async (db) => {
      const bumped = await query<{ failed_logins: number }>(
        db,
        'UPDATE staff_users SET failed_logins = failed_logins + 1, updated_at = $1 WHERE id = $2 RETURNING failed_logins',
        [now, id],
      );
      const row = bumped.rows[0];
      if (!row) return { failedLogins: 0 };
      if (row.failed_logins < policy.maxFailures) return { failedLogins: row.failed_logins };
      const lockedUntil = new Date(now.getTime() + policy.lockMs);
      await query(db, 'UPDATE staff_users SET failed_logins = 0, locked_until = $1, updated_at = $2 WHERE id = $3', [lockedUntil, now, id]);
      return { failedLogins: row.failed_logins, lockedUntil: lockedUntil.toISOString() };
    });
  }

  async recordLoginSuccess(id: string, now: Date): Promise<void> {
    await query(this.pool, 'UPDATE staff_users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2', [now, id]);
  }

  async countActiveAdmins(): Promise<number> {
    const { rows } = await query<{ n: number }>(this.pool, "SELECT count(*)::int AS n FROM staff_users WHERE role = 'admin' AND NOT disabled");
    return rows[0].n;
  }

  private async byId(id: string): Promise<UserRow | undefined> {
    return (await query<UserRow>(this.pool, 'SELECT * FROM staff_users WHERE id = $1', [id])).rows[0];
  }

  private async byEmail(email: string): Promise<UserRow | undefined> {
    return (await query<UserRow>(this.pool, 'SELECT * FROM staff_users WHERE email = $1', [normalizeEmail(email)])).rows[0];
  }
}
