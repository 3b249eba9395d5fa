/**
 * What consultations need from outside: a store of consultations, draft versions, citizens'
 * comments, themes and answers (one Kysely implementation in storage/). The entity shapes the
 * store's signatures use come from ./types.ts, and the store keys near-duplicate comments by
 * `fingerprint` (./similarity.ts): both re-exported here, so storage imports this port only.
 */
import type { ChannelName } from '../domain/channel.ts';
import type {
  CommentChannel,
  Consultation,
  ConsultationComment,
  DraftUnit,
  DraftVersion,
  NewComment,
  NewConsultation,
  ResponseKind,
  Stance,
  Theme,
  UnitMapping,
} from './types.ts';

/** Another consultation already uses this slug (the public address). */
export class SlugTakenError extends Error {
  constructor(readonly slug: string) {
    super(`the address /gop-y/${slug} is already used by another consultation`);
    this.name = 'SlugTakenError';
  }
}

/** The draft changed since the officer read it: a revision must be mapped against the latest version. */
export class VersionConflictError extends Error {
  constructor(readonly expected: number) {
    super(`the draft is no longer at version ${expected}`);
    this.name = 'VersionConflictError';
  }
}

/** Where a citizen is in the chat flow of a consultation (one per citizen and channel). */
export interface ConsultationChatState {
  channel: ChannelName;
  userId: string;
  consultationId: string;
  /** The unit being read or commented on. */
  unitKey?: string;
  /** `stance`: waiting for a stance; `text`: waiting for the comment's text. */
  step: 'browse' | 'stance' | 'text';
  stance?: Stance;
  /** The comment being changed, when the citizen chose "Sửa góp ý". */
  commentId?: string;
  updatedAt: string;
}

export interface CommentFilter {
  /** Include hidden comments (moderation view). Default false. */
  hidden?: boolean;
  /** Include withdrawn comments. Default false. */
  withdrawn?: boolean;
}

/**
 * Consultations on draft documents: drafts in versions, citizens' comments per unit, themes
 * with the agency's answers, and where each citizen is in the chat flow. One implementation
 * (Kysely) over SQLite and PostgreSQL.
 */
export interface ConsultationStore {
  /** Creates a consultation with its first draft version. @throws SlugTakenError */
  create(input: NewConsultation, draft: { title: string; sourceName: string; units: DraftUnit[] }, now: Date): Promise<Consultation>;
  /** Changes what may change (title, period, questions …); the slug and versions stay. */
  update(id: string, patch: Partial<Omit<NewConsultation, 'slug' | 'createdBy'>>): Promise<Consultation | undefined>;
  get(id: string): Promise<Consultation | undefined>;
  getBySlug(slug: string): Promise<Consultation | undefined>;
  list(): Promise<Consultation[]>;
  /** Records the synthesis' publication (once); false when it was already published. */
  markPublished(id: string, now: Date): Promise<boolean>;

  /**
   * Adds a revised draft as version `expected + 1`, moving every comment's current unit along
   * `mapping`. Conditional on the current version still being `expected`. @throws VersionConflictError
   */
  addVersion(id: string, expected: number, draft: { title: string; sourceName: string; units: DraftUnit[]; mapping: Record<string, UnitMapping> }, now: Date): Promise<DraftVersion>;
  getVersion(id: string, version: number): Promise<DraftVersion | undefined>;
  listVersions(id: string): Promise<DraftVersion[]>;

  /**
   * A citizen's comment on a unit of a version: one per citizen, channel, version and unit.
   * Commenting again on the same unit changes it (and un-withdraws it); `created` tells which.
   */
  saveComment(input: NewComment, now: Date): Promise<{ comment: ConsultationComment; created: boolean }>;
  /** Changes a citizen's own comment (stance and text); undefined if it is not theirs. */
  editComment(id: string, owner: { channel: CommentChannel; citizenId: string }, change: { stance: Stance; text: string }, now: Date): Promise<ConsultationComment | undefined>;
  /** Withdraws a citizen's own comment; false if it is not theirs or already withdrawn. */
  withdrawComment(id: string, owner: { channel: CommentChannel; citizenId: string }, now: Date): Promise<boolean>;
  getComment(id: string): Promise<ConsultationComment | undefined>;
  listComments(consultationId: string, filter?: CommentFilter): Promise<ConsultationComment[]>;
  /** Visible comments per current unit key (the public page's counts), without loading them. */
  countsByUnit(consultationId: string): Promise<Map<string, number>>;
  commentsOf(consultationId: string, owner: { channel: CommentChannel; citizenId: string }): Promise<ConsultationComment[]>;
  /** Hides (with the reason) or shows a comment; false when not found. */
  setHidden(id: string, hidden: boolean, reason: string | undefined, now: Date): Promise<boolean>;
  /** Records that the citizen was told the synthesis is out. */
  markNotified(ids: string[], now: Date): Promise<void>;
  /** Clears names, organisations, contacts and channel addresses (the consultation no longer needs them). */
  forgetPersonalData(consultationId: string): Promise<number>;

  listThemes(consultationId: string): Promise<Theme[]>;
  getTheme(id: string): Promise<Theme | undefined>;
  /** Creates themes and moves the listed comments into them, in one transaction. */
  createThemes(consultationId: string, themes: { unitKey: string; label: string; commentIds: string[] }[], now: Date): Promise<Theme[]>;
  /** Moves comments into a theme (undefined: out of any theme). */
  assignComments(consultationId: string, themeId: string | undefined, commentIds: string[]): Promise<number>;
  updateTheme(id: string, change: { label?: string; responseKind?: ResponseKind; responseText?: string; respondedBy?: string }, now: Date): Promise<Theme | undefined>;
  /** Moves every comment of `sourceIds` into `targetId` and deletes the sources. */
  mergeThemes(consultationId: string, targetId: string, sourceIds: string[], now: Date): Promise<Theme | undefined>;
  deleteTheme(id: string): Promise<boolean>;

  getChatState(channel: ChannelName, userId: string): Promise<ConsultationChatState | undefined>;
  setChatState(state: ConsultationChatState): Promise<void>;
  clearChatState(channel: ChannelName, userId: string): Promise<void>;
}

export type { CommentChannel, Consultation, ConsultationComment, DraftUnit, DraftVersion, NewComment, NewConsultation, ResponseKind, Stance, Theme, UnitMapping } from './types.ts';
export { fingerprint } from './similarity.ts';
