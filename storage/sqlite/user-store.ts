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
import { migrate, type SqliteDatabase } from './database.ts';

const MIGRATIONS = [
  `CREATE TABLE staff_users (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('admin', 'spokesperson', 'viewer')),
     disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
     password_hash TEXT NOT NULL,
     failed_logins INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     last_login_at TEXT
   );`,
  // A generated or administrator-set password must be replaced at the next sign-in.
  'ALTER TABLE staff_users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));',
  // Second factor: the TOTP secret, and the last time step used (a code works once).
  'ALTER TABLE staff_users ADD COLUMN totp_secret TEXT; ALTER TABLE staff_users ADD COLUMN totp_last_step INTEGER;',
];

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: number;
  password_hash: string;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  last_login_at: string | null;
  must_change_password: number;
  totp_secret: string | null;
}

function toUser(row: UserRow): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
    ...(row.last_login_at ? { lastLoginAt: row.last_login_at } : {}),
    ...(row.must_change_password === 1 ? { mustChangePassword: true } : {}),
    ...(row.totp_secret ? { totpEnabled: true } : {}),
  };
}

function toCredentials(row: UserRow): StaffCredentials {
  return {
    user: toUser(row),
    passwordHash: row.password_hash,
    failedLogins: row.failed_logins,
    ...(row.locked_until ? { lockedUntil: row.locked_until } : {}),
    ...(row.totp_secret ? { totpSecret: row.totp_secret } : {}),
  };
}

/** Staff accounts in SQLite. */
export class SqliteUserStore implements UserStore {
  private readonly db: SqliteDatabase;
  private readonly insert;
  private readonly byId;
  private readonly byEmail;
  private readonly all;
  private readonly password;
  private readonly success;
  private readonly admins;
  private readonly failure;

  constructor(db: SqliteDatabase) {
    this.db = db;
    migrate(db, 'staff_users', MIGRATIONS);
    this.insert = db.prepare(
      `INSERT INTO staff_users (id, email, name, role, password_hash, must_change_password, created_at, updated_at)
       VALUES (@id, @email, @name, @role, @passwordHash, @mustChange, @now, @now) ON CONFLICT (email) DO NOTHING`,
    );
    this.byId = db.prepare('SELECT * FROM staff_users WHERE id = ?');
    this.byEmail = db.prepare('SELECT * FROM staff_users WHERE email = ?');
    this.all = db.prepare('SELECT * FROM staff_users ORDER BY created_at, rowid');
    this.password = db.prepare(
      'UPDATE staff_users SET password_hash = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?',
    );
    this.success = db.prepare('UPDATE staff_users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?');
    this.admins = db.prepare("SELECT COUNT(*) AS n FROM staff_users WHERE role = 'admin' AND disabled = 0");
    // Increment and lock in one transaction: two parallel wrong guesses both count.
    const bump = db.prepare('UPDATE staff_users SET failed_logins = failed_logins + 1, updated_at = ? WHERE id = ? RETURNING failed_logins');
    const lock = db.prepare('UPDATE staff_users SET failed_logins = 0, locked_until = ?, updated_at = ? WHERE id = ?');
    this.failure = db.transaction((id: string, at: string, maxFailures: number, lockedUntil: string): LoginFailureOutcome => {
      const row = bump.get(at, id) as { failed_logins: number } | undefined;
      if (!row) return { failedLogins: 0 };
      if (row.failed_logins < maxFailures) return { failedLogins: row.failed_logins };
      lock.run(lockedUntil, at, id);
      return { failedLogins: row.failed_logins, lockedUntil };
    });
  }

  async create(input: NewStaffUser, now: Date): Promise<StaffUser> {
    const id = randomUUID();
    const email = normalizeEmail(input.email);
    const result = this.insert.run({
      id,
      email,
      name: input.name,
      role: input.role,
      passwordHash: input.passwordHash,
      mustChange: input.mustChangePassword ? 1 : 0,
      now: now.toISOString(),
    });
    if (result.changes === 0) throw new DuplicateEmailError(email);
    return toUser(this.byId.get(id) as UserRow);
  }

  async get(id: string): Promise<StaffUser | undefined> {
    const row = this.byId.get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  async getByEmail(email: string): Promise<StaffUser | undefined> {
    const row = this.byEmail.get(normalizeEmail(email)) as UserRow | undefined;
    return row && toUser(row);
  }

  async credentials(email: string): Promise<StaffCredentials | undefined> {
    const row = this.byEmail.get(normalizeEmail(email)) as UserRow | undefined;
    return row && toCredentials(row);
  }

  async credentialsById(id: string): Promise<StaffCredentials | undefined> {
    const row = this.byId.get(id) as UserRow | undefined;
    return row && toCredentials(row);
  }

  async list(): Promise<StaffUser[]> {
    return (this.all.all() as UserRow[]).map(toUser);
  }

  async update(id: string, patch: StaffUserPatch, now: Date): Promise<StaffUser | undefined> {
    const sets: string[] = [];
    const params: Record<string, string | number> = { id, now: now.toISOString() };
    if (patch.name !== undefined) {
      sets.push('name = @name');
      params.name = patch.name;
    }
    if (patch.role !== undefined) {
      sets.push('role = @role');
      params.role = patch.role;
    }
    if (patch.disabled !== undefined) {
      sets.push('disabled = @disabled');
      params.disabled = patch.disabled ? 1 : 0;
    }
    if (sets.length) this.db.prepare(`UPDATE staff_users SET ${sets.join(', ')}, updated_at = @now WHERE id = @id`).run(params);
    return this.get(id);
  }

  async setPassword(id: string, passwordHash: string, now: Date, opts: { mustChange?: boolean } = {}): Promise<boolean> {
    return this.password.run(passwordHash, opts.mustChange ? 1 : 0, now.toISOString(), id).changes > 0;
  }

  async setTotp(id: string, secret: string | undefined, now: Date): Promise<boolean> {
    return this.db.prepare('UPDATE staff_users SET totp_secret = ?, totp_last_step = NULL, updated_at = ? WHERE id = ?').run(secret ?? null, now.toISOString(), id).changes > 0;
  }

  async useTotpStep(id: string, step: number): Promise<boolean> {
    const sql = 'UPDATE staff_users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)';
    return this.db.prepare(sql).run(step, id, step).changes > 0;
  }

  async recordLoginFailure(id: string, now: Date, policy: { maxFailures: number; lockMs: number }): Promise<LoginFailureOutcome> {
    return this.failure(id, now.toISOString(), policy.maxFailures, new Date(now.getTime() + policy.lockMs).toISOString());
  }

  async recordLoginSuccess(id: string, now: Date): Promise<void> {
    this.success.run(now.toISOString(), id);
  }

  async countActiveAdmins(): Promise<number> {
    return (this.admins.get() as { n: number }).n;
  }
}
