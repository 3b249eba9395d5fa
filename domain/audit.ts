/** The audit trail's entries: who did what to which thing. */

/** One audit entry: who did what to which thing. Append-only. */
export interface AuditEntryInput {
  /** Staff email, or 'system'. */
  actor: string;
  /** Dotted verb, e.g. 'escalation.reply', 'faq.approve', 'document.upload', 'user.create', 'auth.login_failed'. */
  action: string;
  /** The thing acted on, e.g. 'escalation:abc', 'document:luat-cu-tru'. */
  target?: string;
  details?: Record<string, unknown>;
}
