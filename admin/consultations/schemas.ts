import { z } from 'zod';
import { RESPONSE_KINDS, STANCES } from '../../consultations/types.ts';

/** Request and response shapes of `/api/admin/consultations`, validated with zod and described in the OpenAPI document. */

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A draft file sent inside JSON: its name (the extension decides the parser) and its bytes in base64. */
export const draftFileSchema = z.object({
  name: z.string().trim().min(1).max(255).describe('File name, e.g. du-thao.docx (decides the format)'),
  contentBase64: z.string().min(1).describe('The file, base64-encoded'),
});

const isoTime = z.iso.datetime({ offset: true });

export const consultationInputSchema = z
  .object({
    slug: z.string().trim().min(3).max(80).regex(SLUG, 'chỉ chữ thường không dấu, số và dấu gạch ngang').describe('Public address: /gop-y/<slug>'),
    title: z.string().trim().min(3).max(300),
    summary: z.string().trim().max(4000).default(''),
    scope: z.string().trim().max(2000).default('').describe('Who is affected'),
    questions: z.array(z.string().trim().min(3).max(500)).max(20).default([]),
    asks: z.object({ name: z.boolean(), organisation: z.boolean(), contact: z.boolean() }).default({ name: false, organisation: false, contact: false }),
    opensAt: isoTime,
    closesAt: isoTime,
    consultedCount: z.number().int().min(0).max(10_000_000).default(0).describe('Bodies and people the draft was sent to'),
    officers: z.array(z.email().max(254)).max(50).default([]).describe('Drafting officers (spokesperson accounts) who may work on it'),
    draft: draftFileSchema,
  })
  .refine((v) => Date.parse(v.closesAt) > Date.parse(v.opensAt), { message: 'closesAt must be after opensAt', path: ['closesAt'] });

export const consultationPatchSchema = z
  .object({
    title: z.string().trim().min(3).max(300),
    summary: z.string().trim().max(4000),
    scope: z.string().trim().max(2000),
    questions: z.array(z.string().trim().min(3).max(500)).max(20),
    asks: z.object({ name: z.boolean(), organisation: z.boolean(), contact: z.boolean() }),
    opensAt: isoTime,
    closesAt: isoTime,
    consultedCount: z.number().int().min(0).max(10_000_000),
    officers: z.array(z.email().max(254)).max(50),
  })
  .partial();

export const revisionSchema = z.object({ expectedVersion: z.number().int().min(1), draft: draftFileSchema });
export const idParams = z.object({ id: z.uuid() });
export const commentParams = z.object({ id: z.uuid(), commentId: z.uuid() });
export const themeParams = z.object({ id: z.uuid(), themeId: z.uuid() });
export const versionParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(2) });
export const exportParams = z.object({ id: z.uuid(), format: z.enum(['docx', 'xlsx', 'csv']) });
export const commentQuery = z.object({ unit: z.string().max(20).optional(), hidden: z.enum(['true', 'false']).optional() });
export const moderationSchema = z.object({ hidden: z.boolean(), reason: z.string().trim().min(3).max(500).optional() }).refine((v) => !v.hidden || v.reason, {
  message: 'a reason is required to hide a comment',
  path: ['reason'],
});
export const themeCreateSchema = z.object({ unitKey: z.string().min(1).max(20), label: z.string().trim().min(1).max(300), commentIds: z.array(z.uuid()).min(1).max(20_000) });
export const themePatchSchema = z
  .object({ label: z.string().trim().min(1).max(300), responseKind: z.enum(RESPONSE_KINDS), responseText: z.string().trim().min(1).max(10_000) })
  .partial();
export const mergeSchema = z.object({ sourceIds: z.array(z.uuid()).min(1).max(500) });
export const assignSchema = z.object({ themeId: z.uuid().nullable(), commentIds: z.array(z.uuid()).min(1).max(20_000) });

export const consultationSchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  scope: z.string(),
  questions: z.array(z.string()),
  asks: z.object({ name: z.boolean(), organisation: z.boolean(), contact: z.boolean() }),
  opensAt: z.string(),
  closesAt: z.string(),
  consultedCount: z.number(),
  officers: z.array(z.string()),
  currentVersion: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().optional(),
  status: z.enum(['upcoming', 'open', 'closed', 'published']),
  canEdit: z.boolean(),
});

export const unitSchema = z.object({
  key: z.string(),
  kind: z.enum(['article', 'clause', 'passage']),
  parentKey: z.string().optional(),
  label: z.string(),
  heading: z.string().optional(),
  text: z.string(),
});

export const commentSchema = z.object({
  id: z.string(),
  version: z.number(),
  unitKey: z.string(),
  currentUnitKey: z.string().optional(),
  channel: z.string(),
  citizenId: z.string().describe('Pseudonymous'),
  stance: z.enum(STANCES),
  text: z.string(),
  name: z.string().optional(),
  organisation: z.string().optional(),
  contact: z.string().optional(),
  hidden: z.boolean(),
  hiddenReason: z.string().optional(),
  withdrawn: z.boolean(),
  themeId: z.string().optional(),
  fingerprint: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const themeSchema = z.object({
  id: z.string(),
  unitKey: z.string(),
  label: z.string(),
  responseKind: z.enum(RESPONSE_KINDS).optional(),
  responseText: z.string().optional(),
  respondedBy: z.string().optional(),
  comments: z.number(),
  commentIds: z.array(z.string()),
});
