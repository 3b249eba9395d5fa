import type { ChannelName, Recipient } from '../domain/channel.ts';

/**
 * The shapes of a public consultation on a draft ("lấy ý kiến dự thảo"): the draft in
 * versions, split into the units citizens comment on (Điều / Khoản), comments, and the
 * themes officers answer once for many comments (tiếp thu / giải trình).
 */

/** What a citizen thinks of a unit. */
export const STANCES = ['agree', 'disagree', 'other'] as const;
export type Stance = (typeof STANCES)[number];
export const STANCE_LABELS: Record<Stance, string> = { agree: 'Đồng ý', disagree: 'Không đồng ý', other: 'Ý kiến khác' };

/** How the agency answers a theme: accepted (with what changes) or explained (why not). */
export const RESPONSE_KINDS = ['accept', 'explain'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];
export const RESPONSE_LABELS: Record<ResponseKind, string> = { accept: 'Tiếp thu', explain: 'Giải trình' };

/** Where comments came from: the chat channels and the public page. */
export type CommentChannel = ChannelName | 'page';
export const COMMENT_CHANNELS: readonly CommentChannel[] = ['zalo', 'telegram', 'webchat', 'botframework', 'page'];

/**
 * One unit of a draft a citizen can comment on. `key` is stable inside a version: the
 * article number ("5"), a clause ("5.2"), or "p3" for a passage of a draft without articles.
 */
export interface DraftUnit {
  key: string;
  kind: 'article' | 'clause' | 'passage';
  /** For a clause: its article's key. */
  parentKey?: string;
  articleNo?: string;
  clauseNo?: string;
  heading?: string;
  /** "Điều 5", "Điều 5, Khoản 2", with the chapter when the draft has one. */
  label: string;
  text: string;
}

/** One version of the draft; comments keep the version they were made on. */
export interface DraftVersion {
  consultationId: string;
  version: number;
  title: string;
  sourceName: string;
  units: DraftUnit[];
  /** For version > 1: how each unit of the previous version maps to this one (absent: removed). */
  mapping?: Record<string, UnitMapping>;
  createdAt: string;
}

/** Where a unit of the previous version went, and how sure the match is (0..1). */
export interface UnitMapping {
  to: string;
  score: number;
  /** What matched: the same number, the same heading, or similar text. */
  by: 'number' | 'heading' | 'text';
}

export const CONSULTATION_STATUSES = ['open', 'closed', 'published'] as const;
/** `open` between opensAt and closesAt by the clock; `closed` after; `published` once the synthesis is out. */
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number] | 'upcoming';

/** What the agency asks of participants besides the comment. */
export interface IdentityFields {
  name: boolean;
  organisation: boolean;
  contact: boolean;
}

export interface Consultation {
  id: string;
  /** The public page is `/gop-y/<slug>`. */
  slug: string;
  title: string;
  summary: string;
  /** Who is affected ("phạm vi, đối tượng chịu tác động"). */
  scope: string;
  /** Questions the agency wants answered. */
  questions: string[];
  asks: IdentityFields;
  opensAt: string;
  closesAt: string;
  /** How many bodies and people the agency sent the draft to (for the synthesis' counts). */
  consultedCount: number;
  /** Emails of the drafting officers who may work on it (besides administrators). */
  officers: string[];
  currentVersion: number;
  createdBy: string;
  createdAt: string;
  /** Set once the synthesis is published. */
  publishedAt?: string;
}

export type NewConsultation = Omit<Consultation, 'id' | 'currentVersion' | 'createdAt' | 'publishedAt'>;

/** One citizen's comment on one unit. */
export interface ConsultationComment {
  id: string;
  consultationId: string;
  /** The version and unit it was made on: never changed by a revision. */
  version: number;
  unitKey: string;
  /** The unit it maps to in the current version (undefined: the unit was removed). */
  currentUnitKey?: string;
  channel: CommentChannel;
  /** Pseudonymous: the channel's user id, or the public page's random visitor id. */
  citizenId: string;
  stance: Stance;
  text: string;
  name?: string;
  organisation?: string;
  contact?: string;
  hidden: boolean;
  hiddenReason?: string;
  withdrawn: boolean;
  themeId?: string;
  /** Normalised text hash: the same text from many senders is one position (campaign detection). */
  fingerprint: string;
  /** How to tell the citizen the synthesis is out (chat channels only). */
  recipient?: Recipient;
  /** The citizen's latest channel message id and its time (Zalo replies by message id within 48 h). */
  lastMessageId?: string;
  lastMessageAt?: string;
  notifiedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewComment {
  consultationId: string;
  version: number;
  unitKey: string;
  channel: CommentChannel;
  citizenId: string;
  stance: Stance;
  text: string;
  name?: string;
  organisation?: string;
  contact?: string;
  recipient?: Recipient;
  lastMessageId?: string;
}

/** Comments on one article grouped under one answer. */
export interface Theme {
  id: string;
  consultationId: string;
  /** The article (current version) the theme belongs to. */
  unitKey: string;
  label: string;
  responseKind?: ResponseKind;
  responseText?: string;
  respondedBy?: string;
  createdAt: string;
  updatedAt: string;
}
