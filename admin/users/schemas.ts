import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/password.ts';
import { weakPasswordReason } from '../auth/password-policy.ts';
import { ROLES } from '../../domain/roles.ts';

export const roleSchema = z.enum(ROLES);

/** Emails are compared case-insensitively: stored lower-case. */
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: 'Email không hợp lệ' }));

/** A new password: long enough, and not a common or breached one (password-policy.ts). */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự` })
  .max(MAX_PASSWORD_LENGTH, { message: `Mật khẩu dài tối đa ${MAX_PASSWORD_LENGTH} ký tự` })
  .superRefine((password, ctx) => {
    const reason = weakPasswordReason(password);
    if (reason) ctx.addIssue({ code: 'custom', message: reason });
  });

export const nameSchema = z.string().trim().min(1).max(200);

/** A staff account as the API shows it. */
export const staffUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().optional(),
  totpEnabled: z.boolean().optional().describe('Sign-in needs a one-time code (TOTP) too'),
  mustChangePassword: z.boolean().optional().describe('The password was generated or reset: every route but /session, /logout and /me/password answers 403 password_change_required until it is changed'),
});

/** `POST /users`: without `password`, a one-time password is generated and returned once. */
export const newUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  password: passwordSchema.optional(),
});
export type NewUserInput = z.output<typeof newUserSchema>;

export const userPatchSchema = z
  .object({ name: nameSchema.optional(), role: roleSchema.optional(), disabled: z.boolean().optional() })
  .refine((p) => p.name !== undefined || p.role !== undefined || p.disabled !== undefined, { message: 'Không có gì để thay đổi' });

export const resetPasswordSchema = z.object({ password: passwordSchema.optional() });

export const userIdParams = z.object({ id: z.string().min(1).max(100) });
