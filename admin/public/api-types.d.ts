// Generated from the OpenAPI documents (the route declarations) by http/api-types.ts: do not edit.
// Regenerate: LOA_UPDATE_API_TYPES=1 npx vitest run test/http/api-types.test.ts

/** Every error code the APIs answer with. */
export type ApiErrorCode =
  | "already_answered"
  | "already_closed"
  | "answer_in_progress"
  | "claimed_by_other"
  | "csrf"
  | "duplicate"
  | "duplicate_email"
  | "forbidden"
  | "in_progress"
  | "internal"
  | "invalid_body"
  | "invalid_citation"
  | "invalid_officer"
  | "invalid_range"
  | "invalid_reply"
  | "last_admin"
  | "malformed_json"
  | "managed_by_faqs"
  | "missing_filename"
  | "not_allowed"
  | "not_an_faq"
  | "not_found"
  | "nothing_to_retry"
  | "password_change_required"
  | "payload_too_large"
  | "rate_limited"
  | "reserved_id"
  | "totp_enrolment_required"
  | "unauthorized"
  | "unknown_citation"
  | "unreadable"
  | "validation_failed"
  | "version_conflict"
  | "wrong_status";

/** The `error` of `{ error: { code, message } }`; some refusals carry more fields. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  issues?: Array<{ path: string; message: string }>;
  [detail: string]: unknown;
}

/** What each operation answers on success (console paths relative to /api/admin). */
export interface ApiResponses {
  "POST /login": {
    user: {
      id: string;
      email: string;
      name: string;
      role: "admin" | "spokesperson" | "viewer";
      disabled: boolean;
      createdAt: string;
      lastLoginAt?: string;
      /** Sign-in needs a one-time code (TOTP) too */
      totpEnabled?: boolean;
      /** The password was generated or reset: every route but /session, /logout and /me/password answers 403 password_change_required until it is changed */
      mustChangePassword?: boolean;
    };
    /** Send in X-CSRF-Token on every POST/PUT/PATCH/DELETE */
    csrfToken: string;
    /** When the session ends unless used (idle) or at the latest (absolute) */
    expiresAt: string;
    /** The account must turn the second factor on (LOA_REQUIRE_TOTP): until then every route but /session, /logout, /me/password and /me/totp/setup|enable answers 403 totp_enrolment_required */
    totpEnrolmentRequired: boolean;
  };
  "POST /logout": null;
  "GET /session": {
    user: {
      id: string;
      email: string;
      name: string;
      role: "admin" | "spokesperson" | "viewer";
      disabled: boolean;
      createdAt: string;
      lastLoginAt?: string;
      /** Sign-in needs a one-time code (TOTP) too */
      totpEnabled?: boolean;
      /** The password was generated or reset: every route but /session, /logout and /me/password answers 403 password_change_required until it is changed */
      mustChangePassword?: boolean;
    };
    /** Send in X-CSRF-Token on every POST/PUT/PATCH/DELETE */
    csrfToken: string;
    /** When the session ends unless used (idle) or at the latest (absolute) */
    expiresAt: string;
    /** The account must turn the second factor on (LOA_REQUIRE_TOTP): until then every route but /session, /logout, /me/password and /me/totp/setup|enable answers 403 totp_enrolment_required */
    totpEnrolmentRequired: boolean;
  };
  "GET /me/sessions": {
    items: Array<{
      id: string;
      createdAt: string;
      lastSeenAt: string;
      expiresAt: string;
      current: boolean;
    }>;
  };
  "DELETE /me/sessions/{id}": null;
  "GET /me/totp": {
    enabled: boolean;
    /** LOA_REQUIRE_TOTP applies to this account: it cannot be turned off */
    required: boolean;
    recoveryCodesLeft: number;
  };
  "POST /me/totp/recovery-codes": {
    /** Shown once: each works once instead of a code from the app */
    recoveryCodes: Array<string>;
  };
  "POST /me/totp/setup": {
    secret: string;
    uri: string;
  };
  "POST /me/totp/enable": {
    /** Shown once: each works once instead of a code from the app */
    recoveryCodes: Array<string>;
  };
  "POST /me/totp/disable": null;
  "POST /me/password": null;
  "GET /users": {
    items: Array<{
      id: string;
      email: string;
      name: string;
      role: "admin" | "spokesperson" | "viewer";
      disabled: boolean;
      createdAt: string;
      lastLoginAt?: string;
      /** Sign-in needs a one-time code (TOTP) too */
      totpEnabled?: boolean;
      /** The password was generated or reset: every route but /session, /logout and /me/password answers 403 password_change_required until it is changed */
      mustChangePassword?: boolean;
    }>;
  };
  "POST /users": {
    user: {
      id: string;
      email: string;
      name: string;
      role: "admin" | "spokesperson" | "viewer";
      disabled: boolean;
      createdAt: string;
      lastLoginAt?: string;
      /** Sign-in needs a one-time code (TOTP) too */
      totpEnabled?: boolean;
      /** The password was generated or reset: every route but /session, /logout and /me/password answers 403 password_change_required until it is changed */
      mustChangePassword?: boolean;
    };
    /** Shown once: give it to the person, who should change it (POST /me/password) */
    password?: string;
  };
  "PATCH /users/{id}": {
    user: {
      id: string;
      email: string;
      name: string;
      role: "admin" | "spokesperson" | "viewer";
      disabled: boolean;
      createdAt: string;
      lastLoginAt?: string;
      /** Sign-in needs a one-time code (TOTP) too */
      totpEnabled?: boolean;
      /** The password was generated or reset: every route but /session, /logout and /me/password answers 403 password_change_required until it is changed */
      mustChangePassword?: boolean;
    };
  };
  "POST /users/{id}/reset-password": {
    user: {
      id: string;
      email: string;
      name: string;
      role: "admin" | "spokesperson" | "viewer";
      disabled: boolean;
      createdAt: string;
      lastLoginAt?: string;
      /** Sign-in needs a one-time code (TOTP) too */
      totpEnabled?: boolean;
      /** The password was generated or reset: every route but /session, /logout and /me/password answers 403 password_change_required until it is changed */
      mustChangePassword?: boolean;
    };
    /** Shown once: give it to the person, who should change it (POST /me/password) */
    password?: string;
  };
  "GET /audit": {
    items: Array<{
      id: number;
      at: string;
      actor: string;
      action: string;
      target?: string;
      details?: {
        [key: string]: unknown;
      };
    }>;
    total: number;
  };
  "GET /escalations": {
    items: Array<{
      id: string;
      /** What created it, e.g. inbox:<event id> (one escalation per source) */
      sourceKey?: string;
      status: "open" | "claimed" | "answered" | "closed";
      reason: "abstained" | "requested" | "error";
      abstainReason?: string;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      recipient: {
        channel: "zalo" | "telegram" | "webchat" | "botframework";
        userId: string;
        address: {
          [key: string]: unknown;
        };
      };
      userName?: string;
      /** The citizen's words, as sent: render as text, never as HTML */
      question: string;
      context: Array<{
        at: string;
        userText?: string;
        replyText?: string;
      }>;
      /** What retrieval found but was not confident about */
      candidates: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdAt: string;
      updatedAt: string;
      assignee?: string;
      claimedAt?: string;
      closedReason?: string;
      answerText?: string;
      answerCitations?: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      answeredBy?: string;
      answeredAt?: string;
      deliveryStatus: "none" | "pending" | "sent" | "failed";
      deliveryError?: string;
      deliveredAt?: string;
      /** How long the citizen has waited (until answered or closed) */
      waitingSeconds: number;
      /** Zalo only: the 48-hour free-reply window since the citizen's last message */
      zaloWindow?: {
        expiresAt: string;
        remainingSeconds: number;
      };
    }>;
    total: number;
  };
  "GET /escalations/{id}": {
    id: string;
    /** What created it, e.g. inbox:<event id> (one escalation per source) */
    sourceKey?: string;
    status: "open" | "claimed" | "answered" | "closed";
    reason: "abstained" | "requested" | "error";
    abstainReason?: string;
    channel: "zalo" | "telegram" | "webchat" | "botframework";
    recipient: {
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      userId: string;
      address: {
        [key: string]: unknown;
      };
    };
    userName?: string;
    /** The citizen's words, as sent: render as text, never as HTML */
    question: string;
    context: Array<{
      at: string;
      userText?: string;
      replyText?: string;
    }>;
    /** What retrieval found but was not confident about */
    candidates: Array<{
      id: string;
      title: string;
      section: string;
      number?: string;
      url?: string;
      status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
      quote: string;
      score: number;
      isSummary?: boolean;
      kind?: "document" | "faq";
    }>;
    createdAt: string;
    updatedAt: string;
    assignee?: string;
    claimedAt?: string;
    closedReason?: string;
    answerText?: string;
    answerCitations?: Array<{
      id: string;
      title: string;
      section: string;
      number?: string;
      url?: string;
      status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
      quote: string;
      score: number;
      isSummary?: boolean;
      kind?: "document" | "faq";
    }>;
    answeredBy?: string;
    answeredAt?: string;
    deliveryStatus: "none" | "pending" | "sent" | "failed";
    deliveryError?: string;
    deliveredAt?: string;
    /** How long the citizen has waited (until answered or closed) */
    waitingSeconds: number;
    /** Zalo only: the 48-hour free-reply window since the citizen's last message */
    zaloWindow?: {
      expiresAt: string;
      remainingSeconds: number;
    };
    /** The citizen's latest turns on this channel, oldest first */
    history: Array<{
      at: string;
      intent: string;
      userText?: string;
      replyKind?: string;
      replyText?: string;
    }>;
  };
  "POST /escalations/{id}/claim": {
    escalation: {
      id: string;
      /** What created it, e.g. inbox:<event id> (one escalation per source) */
      sourceKey?: string;
      status: "open" | "claimed" | "answered" | "closed";
      reason: "abstained" | "requested" | "error";
      abstainReason?: string;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      recipient: {
        channel: "zalo" | "telegram" | "webchat" | "botframework";
        userId: string;
        address: {
          [key: string]: unknown;
        };
      };
      userName?: string;
      /** The citizen's words, as sent: render as text, never as HTML */
      question: string;
      context: Array<{
        at: string;
        userText?: string;
        replyText?: string;
      }>;
      /** What retrieval found but was not confident about */
      candidates: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdAt: string;
      updatedAt: string;
      assignee?: string;
      claimedAt?: string;
      closedReason?: string;
      answerText?: string;
      answerCitations?: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      answeredBy?: string;
      answeredAt?: string;
      deliveryStatus: "none" | "pending" | "sent" | "failed";
      deliveryError?: string;
      deliveredAt?: string;
      /** How long the citizen has waited (until answered or closed) */
      waitingSeconds: number;
      /** Zalo only: the 48-hour free-reply window since the citizen's last message */
      zaloWindow?: {
        expiresAt: string;
        remainingSeconds: number;
      };
    };
  };
  "POST /escalations/{id}/assign": {
    escalation: {
      id: string;
      /** What created it, e.g. inbox:<event id> (one escalation per source) */
      sourceKey?: string;
      status: "open" | "claimed" | "answered" | "closed";
      reason: "abstained" | "requested" | "error";
      abstainReason?: string;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      recipient: {
        channel: "zalo" | "telegram" | "webchat" | "botframework";
        userId: string;
        address: {
          [key: string]: unknown;
        };
      };
      userName?: string;
      /** The citizen's words, as sent: render as text, never as HTML */
      question: string;
      context: Array<{
        at: string;
        userText?: string;
        replyText?: string;
      }>;
      /** What retrieval found but was not confident about */
      candidates: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdAt: string;
      updatedAt: string;
      assignee?: string;
      claimedAt?: string;
      closedReason?: string;
      answerText?: string;
      answerCitations?: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      answeredBy?: string;
      answeredAt?: string;
      deliveryStatus: "none" | "pending" | "sent" | "failed";
      deliveryError?: string;
      deliveredAt?: string;
      /** How long the citizen has waited (until answered or closed) */
      waitingSeconds: number;
      /** Zalo only: the 48-hour free-reply window since the citizen's last message */
      zaloWindow?: {
        expiresAt: string;
        remainingSeconds: number;
      };
    };
  };
  "POST /escalations/{id}/close": {
    escalation: {
      id: string;
      /** What created it, e.g. inbox:<event id> (one escalation per source) */
      sourceKey?: string;
      status: "open" | "claimed" | "answered" | "closed";
      reason: "abstained" | "requested" | "error";
      abstainReason?: string;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      recipient: {
        channel: "zalo" | "telegram" | "webchat" | "botframework";
        userId: string;
        address: {
          [key: string]: unknown;
        };
      };
      userName?: string;
      /** The citizen's words, as sent: render as text, never as HTML */
      question: string;
      context: Array<{
        at: string;
        userText?: string;
        replyText?: string;
      }>;
      /** What retrieval found but was not confident about */
      candidates: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdAt: string;
      updatedAt: string;
      assignee?: string;
      claimedAt?: string;
      closedReason?: string;
      answerText?: string;
      answerCitations?: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      answeredBy?: string;
      answeredAt?: string;
      deliveryStatus: "none" | "pending" | "sent" | "failed";
      deliveryError?: string;
      deliveredAt?: string;
      /** How long the citizen has waited (until answered or closed) */
      waitingSeconds: number;
      /** Zalo only: the 48-hour free-reply window since the citizen's last message */
      zaloWindow?: {
        expiresAt: string;
        remainingSeconds: number;
      };
    };
  };
  "POST /escalations/{id}/reply": {
    delivered: boolean;
    error?: string;
    /** Delivery failed for now; the outbox tries again by itself */
    willRetry?: boolean;
    escalation: {
      id: string;
      /** What created it, e.g. inbox:<event id> (one escalation per source) */
      sourceKey?: string;
      status: "open" | "claimed" | "answered" | "closed";
      reason: "abstained" | "requested" | "error";
      abstainReason?: string;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      recipient: {
        channel: "zalo" | "telegram" | "webchat" | "botframework";
        userId: string;
        address: {
          [key: string]: unknown;
        };
      };
      userName?: string;
      /** The citizen's words, as sent: render as text, never as HTML */
      question: string;
      context: Array<{
        at: string;
        userText?: string;
        replyText?: string;
      }>;
      /** What retrieval found but was not confident about */
      candidates: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdAt: string;
      updatedAt: string;
      assignee?: string;
      claimedAt?: string;
      closedReason?: string;
      answerText?: string;
      answerCitations?: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      answeredBy?: string;
      answeredAt?: string;
      deliveryStatus: "none" | "pending" | "sent" | "failed";
      deliveryError?: string;
      deliveredAt?: string;
      /** How long the citizen has waited (until answered or closed) */
      waitingSeconds: number;
      /** Zalo only: the 48-hour free-reply window since the citizen's last message */
      zaloWindow?: {
        expiresAt: string;
        remainingSeconds: number;
      };
    };
    faq?: {
      faqId: string;
    };
    faqError?: string;
  };
  "POST /escalations/{id}/retry": {
    delivered: boolean;
    error?: string;
    /** Delivery failed for now; the outbox tries again by itself */
    willRetry?: boolean;
    escalation: {
      id: string;
      /** What created it, e.g. inbox:<event id> (one escalation per source) */
      sourceKey?: string;
      status: "open" | "claimed" | "answered" | "closed";
      reason: "abstained" | "requested" | "error";
      abstainReason?: string;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      recipient: {
        channel: "zalo" | "telegram" | "webchat" | "botframework";
        userId: string;
        address: {
          [key: string]: unknown;
        };
      };
      userName?: string;
      /** The citizen's words, as sent: render as text, never as HTML */
      question: string;
      context: Array<{
        at: string;
        userText?: string;
        replyText?: string;
      }>;
      /** What retrieval found but was not confident about */
      candidates: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdAt: string;
      updatedAt: string;
      assignee?: string;
      claimedAt?: string;
      closedReason?: string;
      answerText?: string;
      answerCitations?: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      answeredBy?: string;
      answeredAt?: string;
      deliveryStatus: "none" | "pending" | "sent" | "failed";
      deliveryError?: string;
      deliveredAt?: string;
      /** How long the citizen has waited (until answered or closed) */
      waitingSeconds: number;
      /** Zalo only: the 48-hour free-reply window since the citizen's last message */
      zaloWindow?: {
        expiresAt: string;
        remainingSeconds: number;
      };
    };
  };
  "GET /events": string;
  "GET /deliveries/dead-letters": {
    items: Array<{
      id: number;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      userId: string;
      kind: string;
      /** The message, cut to 300 characters */
      text: string;
      /** failed: will not be retried by itself; unknown: may have reached the citizen */
      status: "failed" | "unknown";
      /** Why it stopped (the last error) */
      reason?: string;
      attempts: number;
      /** Attempts whose outcome was unknown (sent, answer lost) */
      unknownOutcomes: number;
      escalationId?: string;
      createdAt: string;
      updatedAt: string;
    }>;
    counts: {
      pending: number;
      sending: number;
      sent: number;
      failed: number;
      unknown: number;
    };
    nextBeforeId?: number;
  };
  "POST /deliveries/resend": {
    resent: Array<number>;
    skipped: Array<number>;
  };
  "GET /faqs": {
    items: Array<{
      id: string;
      status: "draft" | "approved" | "needs_review" | "retired";
      questions: Array<string>;
      answer: string;
      citations: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdBy: string;
      approvedBy?: string;
      approvedAt?: string;
      retiredBy?: string;
      retiredAt?: string;
      /** Why it needs review, e.g. which cited document was superseded */
      reviewReason?: string;
      sourceEscalationId?: string;
      createdAt: string;
      updatedAt: string;
      updatedBy: string;
      version: number;
      /** Citation id of the FAQ in answers: faq::<id> */
      unitId: string;
      /** Conversation turns that cited this FAQ since its (latest) approval */
      usage: {
        count: number;
        lastUsedAt?: string;
      };
    }>;
    total: number;
  };
  "POST /faqs": {
    faq: {
      id: string;
      status: "draft" | "approved" | "needs_review" | "retired";
      questions: Array<string>;
      answer: string;
      citations: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdBy: string;
      approvedBy?: string;
      approvedAt?: string;
      retiredBy?: string;
      retiredAt?: string;
      /** Why it needs review, e.g. which cited document was superseded */
      reviewReason?: string;
      sourceEscalationId?: string;
      createdAt: string;
      updatedAt: string;
      updatedBy: string;
      version: number;
      /** Citation id of the FAQ in answers: faq::<id> */
      unitId: string;
      /** Conversation turns that cited this FAQ since its (latest) approval */
      usage: {
        count: number;
        lastUsedAt?: string;
      };
    };
  };
  "GET /faqs/{id}": {
    faq: {
      id: string;
      status: "draft" | "approved" | "needs_review" | "retired";
      questions: Array<string>;
      answer: string;
      citations: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdBy: string;
      approvedBy?: string;
      approvedAt?: string;
      retiredBy?: string;
      retiredAt?: string;
      /** Why it needs review, e.g. which cited document was superseded */
      reviewReason?: string;
      sourceEscalationId?: string;
      createdAt: string;
      updatedAt: string;
      updatedBy: string;
      version: number;
      /** Citation id of the FAQ in answers: faq::<id> */
      unitId: string;
      /** Conversation turns that cited this FAQ since its (latest) approval */
      usage: {
        count: number;
        lastUsedAt?: string;
      };
    };
  };
  "PATCH /faqs/{id}": {
    faq: {
      id: string;
      status: "draft" | "approved" | "needs_review" | "retired";
      questions: Array<string>;
      answer: string;
      citations: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdBy: string;
      approvedBy?: string;
      approvedAt?: string;
      retiredBy?: string;
      retiredAt?: string;
      /** Why it needs review, e.g. which cited document was superseded */
      reviewReason?: string;
      sourceEscalationId?: string;
      createdAt: string;
      updatedAt: string;
      updatedBy: string;
      version: number;
      /** Citation id of the FAQ in answers: faq::<id> */
      unitId: string;
      /** Conversation turns that cited this FAQ since its (latest) approval */
      usage: {
        count: number;
        lastUsedAt?: string;
      };
    };
  };
  "POST /faqs/{id}/approve": {
    faq: {
      id: string;
      status: "draft" | "approved" | "needs_review" | "retired";
      questions: Array<string>;
      answer: string;
      citations: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdBy: string;
      approvedBy?: string;
      approvedAt?: string;
      retiredBy?: string;
      retiredAt?: string;
      /** Why it needs review, e.g. which cited document was superseded */
      reviewReason?: string;
      sourceEscalationId?: string;
      createdAt: string;
      updatedAt: string;
      updatedBy: string;
      version: number;
      /** Citation id of the FAQ in answers: faq::<id> */
      unitId: string;
      /** Conversation turns that cited this FAQ since its (latest) approval */
      usage: {
        count: number;
        lastUsedAt?: string;
      };
    };
  };
  "POST /faqs/{id}/retire": {
    faq: {
      id: string;
      status: "draft" | "approved" | "needs_review" | "retired";
      questions: Array<string>;
      answer: string;
      citations: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      createdBy: string;
      approvedBy?: string;
      approvedAt?: string;
      retiredBy?: string;
      retiredAt?: string;
      /** Why it needs review, e.g. which cited document was superseded */
      reviewReason?: string;
      sourceEscalationId?: string;
      createdAt: string;
      updatedAt: string;
      updatedBy: string;
      version: number;
      /** Citation id of the FAQ in answers: faq::<id> */
      unitId: string;
      /** Conversation turns that cited this FAQ since its (latest) approval */
      usage: {
        count: number;
        lastUsedAt?: string;
      };
    };
  };
  "GET /documents": {
    items: Array<{
      id: string;
      title: string;
      /** File path, upload:<name>, jsonl:<file>#<law id>, or loa:faqs */
      source: string;
      meta: {
        number?: string;
        docType?: string;
        issuer?: string;
        issuedDate?: string;
        effectiveDate?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        supersededBy?: string;
        url?: string;
        isSummary?: boolean;
        legalBasis?: Array<string>;
        aliases?: Array<string>;
      };
      unitCount: number;
      articleCount: number;
      ingestedAt: string;
      /** Set on the document that holds the approved FAQs: change it through /faqs */
      managedBy?: "faqs";
    }>;
  };
  "POST /documents": {
    summary: {
      documents: {
        added: number;
        replaced: number;
        unchanged: number;
      };
      articles: number;
      units: number;
      skipped: Array<{
        source: string;
        reason: string;
      }>;
      /** For staff: e.g. two versions of one document both in force */
      warnings: Array<string>;
    };
    /** Documents added or replaced (or the unchanged one) */
    documents: Array<{
      id: string;
      title: string;
      /** File path, upload:<name>, jsonl:<file>#<law id>, or loa:faqs */
      source: string;
      meta: {
        number?: string;
        docType?: string;
        issuer?: string;
        issuedDate?: string;
        effectiveDate?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        supersededBy?: string;
        url?: string;
        isSummary?: boolean;
        legalBasis?: Array<string>;
        aliases?: Array<string>;
      };
      unitCount: number;
      articleCount: number;
      ingestedAt: string;
      /** Set on the document that holds the approved FAQs: change it through /faqs */
      managedBy?: "faqs";
    }>;
    faqsMarkedForReview: Array<string>;
  };
  "GET /documents/index-status": {
    index: {
      state: "idle" | "building" | "failed";
      /** Knowledge revision of the index answering questions now */
      servingRevision: number;
      /** Units (articles, clauses, passages, FAQs) in the serving index */
      units: number;
      building?: {
        revision: number;
        startedAt: string;
        progress?: {
          stage: string;
          done: number;
          total: number;
        };
      };
      /** The last successful build in this instance */
      lastBuild?: {
        at: string;
        ms: number;
      };
      /** The last build failed: why (the previous index keeps serving) */
      failure?: {
        at: string;
        reason: string;
      };
    };
  };
  "GET /documents/{id}": {
    document: {
      id: string;
      title: string;
      /** File path, upload:<name>, jsonl:<file>#<law id>, or loa:faqs */
      source: string;
      meta: {
        number?: string;
        docType?: string;
        issuer?: string;
        issuedDate?: string;
        effectiveDate?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        supersededBy?: string;
        url?: string;
        isSummary?: boolean;
        legalBasis?: Array<string>;
        aliases?: Array<string>;
      };
      unitCount: number;
      articleCount: number;
      ingestedAt: string;
      /** Set on the document that holds the approved FAQs: change it through /faqs */
      managedBy?: "faqs";
      units: Array<{
        /** Citation id */
        id: string;
        /** The document it belongs to */
        docId?: string;
        kind: "article" | "clause" | "passage" | "faq";
        parentId?: string;
        section: string;
        articleNo?: string;
        clauseNo?: string;
        pointNo?: string;
        heading?: string;
        text: string;
      }>;
    };
  };
  "DELETE /documents/{id}": {
    deleted: string;
    faqsMarkedForReview: Array<string>;
  };
  "PATCH /documents/{id}/meta": {
    document: {
      id: string;
      title: string;
      /** File path, upload:<name>, jsonl:<file>#<law id>, or loa:faqs */
      source: string;
      meta: {
        number?: string;
        docType?: string;
        issuer?: string;
        issuedDate?: string;
        effectiveDate?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        supersededBy?: string;
        url?: string;
        isSummary?: boolean;
        legalBasis?: Array<string>;
        aliases?: Array<string>;
      };
      unitCount: number;
      articleCount: number;
      ingestedAt: string;
      /** Set on the document that holds the approved FAQs: change it through /faqs */
      managedBy?: "faqs";
    };
    /** Approved FAQs citing the document that now need review */
    faqsMarkedForReview: Array<string>;
  };
  "POST /documents/{id}/status": {
    document: {
      id: string;
      title: string;
      /** File path, upload:<name>, jsonl:<file>#<law id>, or loa:faqs */
      source: string;
      meta: {
        number?: string;
        docType?: string;
        issuer?: string;
        issuedDate?: string;
        effectiveDate?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        supersededBy?: string;
        url?: string;
        isSummary?: boolean;
        legalBasis?: Array<string>;
        aliases?: Array<string>;
      };
      unitCount: number;
      articleCount: number;
      ingestedAt: string;
      /** Set on the document that holds the approved FAQs: change it through /faqs */
      managedBy?: "faqs";
    };
    /** Approved FAQs citing the document that now need review */
    faqsMarkedForReview: Array<string>;
  };
  "GET /reports/summary": {
    range: {
      from: string;
      to: string;
      days: number;
      timezone: string;
      channel?: "zalo" | "telegram" | "webchat" | "botframework";
    };
    totals: {
      questions: number;
      answeredByBot: number;
      escalated: number;
      answeredBySpokesperson: number;
      closedWithoutReply: number;
      /** Escalated, no reply delivered yet (open or claimed) */
      unanswered: number;
      /** "Gặp cán bộ" requests, not counted in questions */
      personRequests: number;
    };
    shares: {
      /** 0..1, null when there is nothing to divide by */
      answeredByBot: number | null;
      /** 0..1, null when there is nothing to divide by */
      escalated: number | null;
      /** 0..1, null when there is nothing to divide by */
      unanswered: number | null;
    };
    perDay: Array<{
      day: string;
      questions: number;
      answeredByBot: number;
      escalated: number;
      unanswered: number;
      byChannel: {
        [key: string]: number;
      };
    }>;
    perChannel: Array<{
      questions: number;
      answeredByBot: number;
      escalated: number;
      answeredBySpokesperson: number;
      closedWithoutReply: number;
      /** Escalated, no reply delivered yet (open or claimed) */
      unanswered: number;
      /** "Gặp cán bộ" requests, not counted in questions */
      personRequests: number;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      shares: {
        /** 0..1, null when there is nothing to divide by */
        answeredByBot: number | null;
        /** 0..1, null when there is nothing to divide by */
        escalated: number | null;
        /** 0..1, null when there is nothing to divide by */
        unanswered: number | null;
      };
      satisfaction: {
        replies: number;
        up: number;
        down: number;
        rated: number;
        /** up / (up + down) */
        satisfaction: number | null;
        /** (up + down) / replies */
        ratedShare: number | null;
        /** 👎 by the reason given: sai / chưa đủ / khó hiểu */
        downReasons: {
          wrong: number;
          incomplete: number;
          unclear: number;
        };
      };
      responseTime: {
        /** Escalations created in the period whose reply was delivered */
        count: number;
        medianSeconds: number | null;
        p90Seconds: number | null;
      };
    }>;
    responseTime: {
      /** Escalations created in the period whose reply was delivered */
      count: number;
      medianSeconds: number | null;
      p90Seconds: number | null;
    };
    satisfaction: {
      replies: number;
      up: number;
      down: number;
      rated: number;
      /** up / (up + down) */
      satisfaction: number | null;
      /** (up + down) / replies */
      ratedShare: number | null;
      /** 👎 by the reason given: sai / chưa đủ / khó hiểu */
      downReasons: {
        wrong: number;
        incomplete: number;
        unclear: number;
      };
      bot: {
        replies: number;
        up: number;
        down: number;
        rated: number;
        /** up / (up + down) */
        satisfaction: number | null;
        /** (up + down) / replies */
        ratedShare: number | null;
        /** 👎 by the reason given: sai / chưa đủ / khó hiểu */
        downReasons: {
          wrong: number;
          incomplete: number;
          unclear: number;
        };
      };
      spokesperson: {
        replies: number;
        up: number;
        down: number;
        rated: number;
        /** up / (up + down) */
        satisfaction: number | null;
        /** (up + down) / replies */
        ratedShare: number | null;
        /** 👎 by the reason given: sai / chưa đủ / khó hiểu */
        downReasons: {
          wrong: number;
          incomplete: number;
          unclear: number;
        };
      };
    };
    escalations: {
      total: number;
      byReason: {
        abstained: number;
        requested: number;
        error: number;
      };
      open: number;
    };
    repeats: {
      /** Distinct questions (normalised) asked by at least 2 citizens */
      repeatedQuestions: number;
      /** Questions that were one of those */
      askings: number;
      /** 0..1, null when there is nothing to divide by */
      share: number | null;
      top: Array<{
        question: string;
        normalized: string;
        times: number;
        users: number;
        channels: Array<"zalo" | "telegram" | "webchat" | "botframework">;
      }>;
    };
  };
  "GET /reports/topics": {
    range: {
      from: string;
      to: string;
      days: number;
      timezone: string;
      channel?: "zalo" | "telegram" | "webchat" | "botframework";
    };
    totalQuestions: number;
    /** At most 50000, the newest */
    analysedQuestions: number;
    /** Most asked first */
    topics: Array<{
      id: string;
      label: string;
      terms: Array<string>;
      basis: "citation" | "candidate" | "keywords";
      questions: number;
      users: number;
      share: number;
      firstHalf: number;
      secondHalf: number;
      growth: number | null;
      answered: number;
      escalated: number;
      unanswered: number;
      up: number;
      down: number;
      documents: Array<{
        id: string;
        title: string;
        section: string;
        count: number;
      }>;
      examples: Array<string>;
    }>;
    /** Asked more (per day) in the second half of the period than in the first */
    rising: Array<{
      id: string;
      label: string;
      terms: Array<string>;
      basis: "citation" | "candidate" | "keywords";
      questions: number;
      users: number;
      share: number;
      firstHalf: number;
      secondHalf: number;
      growth: number | null;
      answered: number;
      escalated: number;
      unanswered: number;
      up: number;
      down: number;
      documents: Array<{
        id: string;
        title: string;
        section: string;
        count: number;
      }>;
      examples: Array<string>;
    }>;
    /** Most escalations and 👎 first: where documents or FAQs are missing */
    gaps: Array<{
      id: string;
      label: string;
      terms: Array<string>;
      basis: "citation" | "candidate" | "keywords";
      questions: number;
      users: number;
      share: number;
      firstHalf: number;
      secondHalf: number;
      growth: number | null;
      answered: number;
      escalated: number;
      unanswered: number;
      up: number;
      down: number;
      documents: Array<{
        id: string;
        title: string;
        section: string;
        count: number;
      }>;
      examples: Array<string>;
    }>;
  };
  "GET /reports/export.csv": string;
  "GET /review/counts": {
    pending: {
      down: number;
      lowConfidence: number;
      total: number;
    };
    reviewed: number;
    confidenceBelow: number;
  };
  "GET /review": {
    /** Newest first */
    items: Array<{
      turnId: string;
      channel: "zalo" | "telegram" | "webchat" | "botframework";
      /** The citizen's words */
      question?: string;
      /** Loa's reply */
      answer?: string;
      citations: Array<{
        id: string;
        title: string;
        section: string;
        number?: string;
        url?: string;
        status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
        quote: string;
        score: number;
        isSummary?: boolean;
        kind?: "document" | "faq";
      }>;
      confidence?: number;
      outcome?: string;
      feedback?: "up" | "down";
      /** Why 👎: wrong (Sai), incomplete (Chưa đủ), unclear (Khó hiểu) */
      feedbackReason?: "wrong" | "incomplete" | "unclear";
      causes: Array<"down" | "low_confidence">;
      createdAt: string;
      review?: {
        turnId: string;
        reviewedBy: string;
        reviewedAt: string;
        /** The FAQ draft made from this answer */
        faqId?: string;
      };
    }>;
    total: number;
    /** LOA_REVIEW_CONFIDENCE */
    confidenceBelow: number;
  };
  "POST /review/{turnId}/reviewed": {
    review: {
      turnId: string;
      reviewedBy: string;
      reviewedAt: string;
      /** The FAQ draft made from this answer */
      faqId?: string;
    };
    created: boolean;
  };
  "POST /review/{turnId}/faq-draft": {
    faqId: string;
    created: boolean;
  };
  "GET /synonyms": {
    /** Newest change first */
    items: Array<{
      id: string;
      everyday: Array<string>;
      legal: Array<string>;
      note?: string;
      createdBy: string;
      createdAt: string;
      updatedBy: string;
      updatedAt: string;
    }>;
    total: number;
    /** Entries of the built-in lexicon, used as well */
    builtIn: number;
  };
  "POST /synonyms": {
    synonym: {
      id: string;
      everyday: Array<string>;
      legal: Array<string>;
      note?: string;
      createdBy: string;
      createdAt: string;
      updatedBy: string;
      updatedAt: string;
    };
  };
  "PATCH /synonyms/{id}": {
    synonym: {
      id: string;
      everyday: Array<string>;
      legal: Array<string>;
      note?: string;
      createdBy: string;
      createdAt: string;
      updatedBy: string;
      updatedAt: string;
    };
  };
  "DELETE /synonyms/{id}": null;
  "POST /citizens/preview": {
    pseudonym: string;
    counts: {
      turns: number;
      feedback: number;
      inbox: number;
      outbox: number;
      escalations: number;
      webchatMessages: number;
      examples: number;
      faqDrafts: number;
    };
    total: number;
  };
  "POST /citizens/forget": {
    pseudonym: string;
    counts: {
      turns: number;
      feedback: number;
      inbox: number;
      outbox: number;
      escalations: number;
      webchatMessages: number;
      examples: number;
      faqDrafts: number;
    };
    flaggedFaqIds: Array<string>;
  };
  "GET /consultations": {
    items: Array<{
      id: string;
      slug: string;
      title: string;
      summary: string;
      scope: string;
      questions: Array<string>;
      asks: {
        name: boolean;
        organisation: boolean;
        contact: boolean;
      };
      opensAt: string;
      closesAt: string;
      consultedCount: number;
      officers: Array<string>;
      currentVersion: number;
      createdBy: string;
      createdAt: string;
      publishedAt?: string;
      status: "upcoming" | "open" | "closed" | "published";
      canEdit: boolean;
    }>;
  };
  "POST /consultations": {
    consultation: {
      id: string;
      slug: string;
      title: string;
      summary: string;
      scope: string;
      questions: Array<string>;
      asks: {
        name: boolean;
        organisation: boolean;
        contact: boolean;
      };
      opensAt: string;
      closesAt: string;
      consultedCount: number;
      officers: Array<string>;
      currentVersion: number;
      createdBy: string;
      createdAt: string;
      publishedAt?: string;
      status: "upcoming" | "open" | "closed" | "published";
      canEdit: boolean;
    };
  };
  "GET /consultations/{id}": {
    consultation: {
      id: string;
      slug: string;
      title: string;
      summary: string;
      scope: string;
      questions: Array<string>;
      asks: {
        name: boolean;
        organisation: boolean;
        contact: boolean;
      };
      opensAt: string;
      closesAt: string;
      consultedCount: number;
      officers: Array<string>;
      currentVersion: number;
      createdBy: string;
      createdAt: string;
      publishedAt?: string;
      status: "upcoming" | "open" | "closed" | "published";
      canEdit: boolean;
    };
    draft: {
      version: number;
      title: string;
      units: Array<{
        key: string;
        kind: "article" | "clause" | "passage";
        parentKey?: string;
        label: string;
        heading?: string;
        text: string;
      }>;
    };
    versions: Array<{
      version: number;
      title: string;
      sourceName: string;
      createdAt: string;
    }>;
    stats: {
      [key: string]: unknown;
    };
  };
  "PATCH /consultations/{id}": {
    consultation: {
      id: string;
      slug: string;
      title: string;
      summary: string;
      scope: string;
      questions: Array<string>;
      asks: {
        name: boolean;
        organisation: boolean;
        contact: boolean;
      };
      opensAt: string;
      closesAt: string;
      consultedCount: number;
      officers: Array<string>;
      currentVersion: number;
      createdBy: string;
      createdAt: string;
      publishedAt?: string;
      status: "upcoming" | "open" | "closed" | "published";
      canEdit: boolean;
    };
  };
  "POST /consultations/{id}/versions": {
    version: number;
    title: string;
    mapping: {
      [key: string]: {
        to: string;
        score: number;
        by: string;
      };
    };
  };
  "GET /consultations/{id}/versions/{version}/diff": {
    from: number;
    to: number;
    changes: Array<{
      [key: string]: unknown;
    }>;
  };
  "GET /consultations/{id}/comments": {
    items: Array<{
      id: string;
      version: number;
      unitKey: string;
      currentUnitKey?: string;
      channel: string;
      /** Pseudonymous */
      citizenId: string;
      stance: "agree" | "disagree" | "other";
      text: string;
      name?: string;
      organisation?: string;
      contact?: string;
      hidden: boolean;
      hiddenReason?: string;
      withdrawn: boolean;
      themeId?: string;
      fingerprint: string;
      createdAt: string;
      updatedAt: string;
    }>;
    total: number;
  };
  "POST /consultations/{id}/comments/{commentId}/moderation": {
    comment: {
      id: string;
      version: number;
      unitKey: string;
      currentUnitKey?: string;
      channel: string;
      /** Pseudonymous */
      citizenId: string;
      stance: "agree" | "disagree" | "other";
      text: string;
      name?: string;
      organisation?: string;
      contact?: string;
      hidden: boolean;
      hiddenReason?: string;
      withdrawn: boolean;
      themeId?: string;
      fingerprint: string;
      createdAt: string;
      updatedAt: string;
    };
  };
  "GET /consultations/{id}/themes": {
    items: Array<{
      id: string;
      unitKey: string;
      label: string;
      responseKind?: "accept" | "explain";
      responseText?: string;
      respondedBy?: string;
      comments: number;
      commentIds: Array<string>;
    }>;
  };
  "POST /consultations/{id}/themes": {
    theme: {
      id: string;
      unitKey: string;
      label: string;
      responseKind?: "accept" | "explain";
      responseText?: string;
      respondedBy?: string;
    };
  };
  "POST /consultations/{id}/themes/auto": {
    created: number;
    items: Array<{
      id: string;
      unitKey: string;
      label: string;
      responseKind?: "accept" | "explain";
      responseText?: string;
      respondedBy?: string;
      comments: number;
      commentIds: Array<string>;
    }>;
  };
  "POST /consultations/{id}/themes/assign": {
    moved: number;
  };
  "PATCH /consultations/{id}/themes/{themeId}": {
    theme: {
      id: string;
      unitKey: string;
      label: string;
      responseKind?: "accept" | "explain";
      responseText?: string;
      respondedBy?: string;
    };
  };
  "DELETE /consultations/{id}/themes/{themeId}": null;
  "POST /consultations/{id}/themes/{themeId}/merge": {
    theme: {
      id: string;
      unitKey: string;
      label: string;
      responseKind?: "accept" | "explain";
      responseText?: string;
      respondedBy?: string;
    };
  };
  "GET /consultations/{id}/synthesis": {
    synthesis: {
      [key: string]: unknown;
    };
  };
  "GET /consultations/{id}/export.{format}": string;
  "POST /consultations/{id}/publish": {
    consultation: {
      id: string;
      slug: string;
      title: string;
      summary: string;
      scope: string;
      questions: Array<string>;
      asks: {
        name: boolean;
        organisation: boolean;
        contact: boolean;
      };
      opensAt: string;
      closesAt: string;
      consultedCount: number;
      officers: Array<string>;
      currentVersion: number;
      createdBy: string;
      createdAt: string;
      publishedAt?: string;
      status: "upcoming" | "open" | "closed" | "published";
      canEdit: boolean;
    };
    notified: {
      sent: number;
      outsideWindow: number;
      onPage: number;
    };
  };
  "POST /consultations/{id}/forget-personal-data": {
    cleared: number;
  };
  "GET /topics": null;
  "POST /topics": null;
  "DELETE /topics/{id}": null;
  "GET /announcements": null;
  "POST /announcements": null;
  "GET /announcements/{id}": null;
  "POST /announcements/{id}/approve": null;
  "POST /announcements/{id}/cancel": null;
  "GET /claims": null;
  "POST /claims/{id}/verdict": null;
  "POST /claims/{id}/approve": null;
  "GET /announcements/{id}/deliveries.csv": null;
  "POST /api/ask": {
    outcome: "answer" | "clarify" | "handoff" | "decline";
    answer: string;
    more?: string;
    options?: Array<{
      id: string;
      label: string;
    }>;
    citations: Array<{
      id: string;
      title: string;
      section: string;
      number?: string;
      url?: string;
      status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
      quote: string;
      score: number;
      isSummary?: boolean;
      kind?: "document" | "faq";
    }>;
    confidence: number;
    abstained: boolean;
    reason?: "no_knowledge" | "empty_question" | "out_of_scope" | "low_confidence" | "prompt_injection" | "personal_case";
    candidates?: Array<{
      id: string;
      title: string;
      section: string;
      number?: string;
      url?: string;
      status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
      quote: string;
      score: number;
      isSummary?: boolean;
      kind?: "document" | "faq";
    }>;
  };
}

/** The JSON body each operation takes. */
export interface ApiBodies {
  "POST /login": {
    email: string;
    password: string;
    /** The 6-digit code from the authenticator app, or one of the recovery codes (xxxxx-xxxxx), for accounts with the second factor on */
    code?: string;
  };
  "POST /me/totp/recovery-codes": {
    currentPassword: string;
    /** A code from the app, or a recovery code */
    code: string;
  };
  "POST /me/totp/enable": {
    currentPassword: string;
    secret: string;
    code: string;
  };
  "POST /me/totp/disable": {
    currentPassword: string;
    /** A code from the app, or a recovery code */
    code: string;
  };
  "POST /me/password": {
    currentPassword: string;
    newPassword: string;
  };
  "POST /users": {
    email: string;
    name: string;
    role: "admin" | "spokesperson" | "viewer";
    password?: string;
  };
  "PATCH /users/{id}": {
    name?: string;
    role?: "admin" | "spokesperson" | "viewer";
    disabled?: boolean;
  };
  "POST /users/{id}/reset-password": {
    password?: string;
  };
  "POST /escalations/{id}/assign": {
    /** Email of an active spokesperson or administrator */
    officer: string;
  };
  "POST /escalations/{id}/close": {
    reason: "duplicate" | "spam" | "out_of_remit" | "other";
    /** Free text; required when reason is 'other' */
    note?: string;
  };
  "POST /escalations/{id}/reply": {
    text: string;
    citations?: Array<{
      id: string;
      title?: string;
      section?: string;
      number?: string;
      url?: string;
      status?: "in_force" | "amended" | "superseded" | "expired" | "unknown";
      quote?: string;
      score?: number;
      isSummary?: boolean;
      kind?: "document" | "faq";
    }>;
    /** Also propose the question and this answer as an FAQ draft */
    saveAsFaq?: boolean;
  };
  "POST /deliveries/resend": {
    /** Outbox ids of dead letters to send again */
    ids: Array<number>;
  };
  "POST /faqs": {
    /** Ways citizens ask it; the first is the heading. Variants differing only in case or accents are merged. */
    questions: Array<string>;
    answer: string;
    /** Legal basis: the id of a knowledge unit (e.g. "luat-cu-tru::20.2"; the rest is filled in from the document), or a complete citation */
    citations?: Array<{
      id: string;
      title?: string;
      section?: string;
      number?: string;
      url?: string;
      status?: "in_force" | "amended" | "superseded" | "expired" | "unknown";
      quote?: string;
      score?: number;
      isSummary?: boolean;
      kind?: "document" | "faq";
    }>;
  };
  "PATCH /faqs/{id}": {
    /** Ways citizens ask it; the first is the heading. Variants differing only in case or accents are merged. */
    questions?: Array<string>;
    answer?: string;
    /** Legal basis: the id of a knowledge unit (e.g. "luat-cu-tru::20.2"; the rest is filled in from the document), or a complete citation */
    citations?: Array<{
      id: string;
      title?: string;
      section?: string;
      number?: string;
      url?: string;
      status?: "in_force" | "amended" | "superseded" | "expired" | "unknown";
      quote?: string;
      score?: number;
      isSummary?: boolean;
      kind?: "document" | "faq";
    }>;
    /** The version the editor started from: a different current version answers 409 */
    version?: number;
  };
  "PATCH /documents/{id}/meta": {
    /** Số hiệu, e.g. 68/2020/QH14 */
    number?: string | null;
    /** Luật, Nghị định, Thông tư … */
    docType?: string | null;
    issuer?: string | null;
    issuedDate?: string | null;
    effectiveDate?: string | null;
    status?: "in_force" | "amended" | "superseded" | "expired" | "unknown";
    supersededBy?: string | null;
    url?: string | null;
    isSummary?: boolean | null;
    legalBasis?: Array<string> | null;
    aliases?: Array<string> | null;
  };
  "POST /documents/{id}/status": {
    status: "in_force" | "amended" | "superseded" | "expired" | "unknown";
    /** Number or title of the replacing/amending document */
    supersededBy?: string;
  };
  "POST /synonyms": {
    /** Everyday phrases citizens use, 1–6 syllables each (stored NFC, lower case) */
    everyday: Array<string>;
    /** The legal phrases the documents use for them, 1–6 syllables each */
    legal: Array<string>;
    /** Why, or where the wording comes from */
    note?: string;
  };
  "PATCH /synonyms/{id}": {
    /** Everyday phrases citizens use, 1–6 syllables each (stored NFC, lower case) */
    everyday: Array<string>;
    /** The legal phrases the documents use for them, 1–6 syllables each */
    legal: Array<string>;
    /** Why, or where the wording comes from */
    note?: string;
  };
  "POST /citizens/preview": {
    /** With userId */
    channel?: "zalo" | "telegram" | "webchat" | "botframework";
    /** The channel's user id (web chat: the session id) */
    userId?: string;
    /** Instead of channel and userId: the citizen who asked this escalation */
    escalationId?: string;
  };
  "POST /citizens/forget": {
    channel?: "zalo" | "telegram" | "webchat" | "botframework";
    userId?: string;
    escalationId?: string;
    /** Must be true: erasure cannot be undone */
    confirm: true;
  };
  "POST /consultations": {
    /** Public address: /gop-y/<slug> */
    slug: string;
    title: string;
    summary?: string;
    /** Who is affected */
    scope?: string;
    questions?: Array<string>;
    asks?: {
      name: boolean;
      organisation: boolean;
      contact: boolean;
    };
    opensAt: string;
    closesAt: string;
    /** Bodies and people the draft was sent to */
    consultedCount?: number;
    /** Drafting officers (spokesperson accounts) who may work on it */
    officers?: Array<string>;
    draft: {
      /** File name, e.g. du-thao.docx (decides the format) */
      name: string;
      /** The file, base64-encoded */
      contentBase64: string;
    };
  };
  "PATCH /consultations/{id}": {
    title?: string;
    summary?: string;
    scope?: string;
    questions?: Array<string>;
    asks?: {
      name: boolean;
      organisation: boolean;
      contact: boolean;
    };
    opensAt?: string;
    closesAt?: string;
    consultedCount?: number;
    officers?: Array<string>;
  };
  "POST /consultations/{id}/versions": {
    expectedVersion: number;
    draft: {
      /** File name, e.g. du-thao.docx (decides the format) */
      name: string;
      /** The file, base64-encoded */
      contentBase64: string;
    };
  };
  "POST /consultations/{id}/comments/{commentId}/moderation": {
    hidden: boolean;
    reason?: string;
  };
  "POST /consultations/{id}/themes": {
    unitKey: string;
    label: string;
    commentIds: Array<string>;
  };
  "POST /consultations/{id}/themes/assign": {
    themeId: string | null;
    commentIds: Array<string>;
  };
  "PATCH /consultations/{id}/themes/{themeId}": {
    label?: string;
    responseKind?: "accept" | "explain";
    responseText?: string;
  };
  "POST /consultations/{id}/themes/{themeId}/merge": {
    sourceIds: Array<string>;
  };
  "POST /topics": {
    id: string;
    label: string;
    keywords?: Array<string>;
  };
  "POST /announcements": {
    topicId: string;
    text: string;
    link?: string;
    imageUrl?: string;
    channels?: Array<"zalo" | "telegram" | "webchat" | "botframework">;
    area?: string;
    scheduledAt?: string;
  };
  "POST /claims/{id}/verdict": {
    verdict: "dung" | "sai" | "gay_hieu_lam" | "chua_co_thong_tin";
    sourceTitle: string;
    sourceUrl?: string;
    note: string;
  };
  "POST /api/ask": {
    question: string;
    /** Earlier questions of the conversation, newest last */
    history?: Array<string>;
  };
}

/** A path segment: no '/'. */
type Segment<S extends string> = S extends `${string}/${string}` ? never : S;

type Matches<M extends string, P extends string> =
  | (M extends "POST" ? (P extends "/login" ? ApiResponses["POST /login"] : never) : never)
  | (M extends "POST" ? (P extends "/logout" ? ApiResponses["POST /logout"] : never) : never)
  | (M extends "GET" ? (P extends "/session" ? ApiResponses["GET /session"] : never) : never)
  | (M extends "GET" ? (P extends "/me/sessions" ? ApiResponses["GET /me/sessions"] : never) : never)
  | (M extends "DELETE" ? (P extends `/me/sessions/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["DELETE /me/sessions/{id}"] : never) : never)
  | (M extends "GET" ? (P extends "/me/totp" ? ApiResponses["GET /me/totp"] : never) : never)
  | (M extends "POST" ? (P extends "/me/totp/recovery-codes" ? ApiResponses["POST /me/totp/recovery-codes"] : never) : never)
  | (M extends "POST" ? (P extends "/me/totp/setup" ? ApiResponses["POST /me/totp/setup"] : never) : never)
  | (M extends "POST" ? (P extends "/me/totp/enable" ? ApiResponses["POST /me/totp/enable"] : never) : never)
  | (M extends "POST" ? (P extends "/me/totp/disable" ? ApiResponses["POST /me/totp/disable"] : never) : never)
  | (M extends "POST" ? (P extends "/me/password" ? ApiResponses["POST /me/password"] : never) : never)
  | (M extends "GET" ? (P extends "/users" ? ApiResponses["GET /users"] : never) : never)
  | (M extends "POST" ? (P extends "/users" ? ApiResponses["POST /users"] : never) : never)
  | (M extends "PATCH" ? (P extends `/users/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["PATCH /users/{id}"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/users/${infer Id1 extends string}/reset-password` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /users/{id}/reset-password"] : never) : never)
  | (M extends "GET" ? (P extends "/audit" ? ApiResponses["GET /audit"] : never) : never)
  | (M extends "GET" ? (P extends "/escalations" ? ApiResponses["GET /escalations"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/escalations/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /escalations/{id}"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/escalations/${infer Id1 extends string}/claim` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /escalations/{id}/claim"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/escalations/${infer Id1 extends string}/assign` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /escalations/{id}/assign"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/escalations/${infer Id1 extends string}/close` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /escalations/{id}/close"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/escalations/${infer Id1 extends string}/reply` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /escalations/{id}/reply"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/escalations/${infer Id1 extends string}/retry` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /escalations/{id}/retry"] : never) : never)
  | (M extends "GET" ? (P extends "/events" ? ApiResponses["GET /events"] : never) : never)
  | (M extends "GET" ? (P extends "/deliveries/dead-letters" ? ApiResponses["GET /deliveries/dead-letters"] : never) : never)
  | (M extends "POST" ? (P extends "/deliveries/resend" ? ApiResponses["POST /deliveries/resend"] : never) : never)
  | (M extends "GET" ? (P extends "/faqs" ? ApiResponses["GET /faqs"] : never) : never)
  | (M extends "POST" ? (P extends "/faqs" ? ApiResponses["POST /faqs"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/faqs/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /faqs/{id}"] : never) : never)
  | (M extends "PATCH" ? (P extends `/faqs/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["PATCH /faqs/{id}"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/faqs/${infer Id1 extends string}/approve` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /faqs/{id}/approve"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/faqs/${infer Id1 extends string}/retire` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /faqs/{id}/retire"] : never) : never)
  | (M extends "GET" ? (P extends "/documents" ? ApiResponses["GET /documents"] : never) : never)
  | (M extends "POST" ? (P extends "/documents" ? ApiResponses["POST /documents"] : never) : never)
  | (M extends "GET" ? (P extends "/documents/index-status" ? ApiResponses["GET /documents/index-status"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/documents/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /documents/{id}"] : never) : never)
  | (M extends "DELETE" ? (P extends `/documents/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["DELETE /documents/{id}"] : never) : never)
  | (M extends "PATCH" ? (P extends `/documents/${infer Id1 extends string}/meta` ? [Segment<Id1>] extends [never] ? never : ApiResponses["PATCH /documents/{id}/meta"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/documents/${infer Id1 extends string}/status` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /documents/{id}/status"] : never) : never)
  | (M extends "GET" ? (P extends "/reports/summary" ? ApiResponses["GET /reports/summary"] : never) : never)
  | (M extends "GET" ? (P extends "/reports/topics" ? ApiResponses["GET /reports/topics"] : never) : never)
  | (M extends "GET" ? (P extends "/reports/export.csv" ? ApiResponses["GET /reports/export.csv"] : never) : never)
  | (M extends "GET" ? (P extends "/review/counts" ? ApiResponses["GET /review/counts"] : never) : never)
  | (M extends "GET" ? (P extends "/review" ? ApiResponses["GET /review"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/review/${infer TurnId1 extends string}/reviewed` ? [Segment<TurnId1>] extends [never] ? never : ApiResponses["POST /review/{turnId}/reviewed"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/review/${infer TurnId1 extends string}/faq-draft` ? [Segment<TurnId1>] extends [never] ? never : ApiResponses["POST /review/{turnId}/faq-draft"] : never) : never)
  | (M extends "GET" ? (P extends "/synonyms" ? ApiResponses["GET /synonyms"] : never) : never)
  | (M extends "POST" ? (P extends "/synonyms" ? ApiResponses["POST /synonyms"] : never) : never)
  | (M extends "PATCH" ? (P extends `/synonyms/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["PATCH /synonyms/{id}"] : never) : never)
  | (M extends "DELETE" ? (P extends `/synonyms/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["DELETE /synonyms/{id}"] : never) : never)
  | (M extends "POST" ? (P extends "/citizens/preview" ? ApiResponses["POST /citizens/preview"] : never) : never)
  | (M extends "POST" ? (P extends "/citizens/forget" ? ApiResponses["POST /citizens/forget"] : never) : never)
  | (M extends "GET" ? (P extends "/consultations" ? ApiResponses["GET /consultations"] : never) : never)
  | (M extends "POST" ? (P extends "/consultations" ? ApiResponses["POST /consultations"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/consultations/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /consultations/{id}"] : never) : never)
  | (M extends "PATCH" ? (P extends `/consultations/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["PATCH /consultations/{id}"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/consultations/${infer Id1 extends string}/versions` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /consultations/{id}/versions"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/consultations/${infer Id1 extends string}/versions/${infer Version2 extends string}/diff` ? [Segment<Id1>] extends [never] ? never : [Segment<Version2>] extends [never] ? never : ApiResponses["GET /consultations/{id}/versions/{version}/diff"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/consultations/${infer Id1 extends string}/comments` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /consultations/{id}/comments"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/consultations/${infer Id1 extends string}/comments/${infer CommentId2 extends string}/moderation` ? [Segment<Id1>] extends [never] ? never : [Segment<CommentId2>] extends [never] ? never : ApiResponses["POST /consultations/{id}/comments/{commentId}/moderation"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/consultations/${infer Id1 extends string}/themes` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /consultations/{id}/themes"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/consultations/${infer Id1 extends string}/themes` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /consultations/{id}/themes"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/consultations/${infer Id1 extends string}/themes/auto` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /consultations/{id}/themes/auto"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/consultations/${infer Id1 extends string}/themes/assign` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /consultations/{id}/themes/assign"] : never) : never)
  | (M extends "PATCH" ? (P extends `/consultations/${infer Id1 extends string}/themes/${infer ThemeId2 extends string}` ? [Segment<Id1>] extends [never] ? never : [Segment<ThemeId2>] extends [never] ? never : ApiResponses["PATCH /consultations/{id}/themes/{themeId}"] : never) : never)
  | (M extends "DELETE" ? (P extends `/consultations/${infer Id1 extends string}/themes/${infer ThemeId2 extends string}` ? [Segment<Id1>] extends [never] ? never : [Segment<ThemeId2>] extends [never] ? never : ApiResponses["DELETE /consultations/{id}/themes/{themeId}"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/consultations/${infer Id1 extends string}/themes/${infer ThemeId2 extends string}/merge` ? [Segment<Id1>] extends [never] ? never : [Segment<ThemeId2>] extends [never] ? never : ApiResponses["POST /consultations/{id}/themes/{themeId}/merge"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/consultations/${infer Id1 extends string}/synthesis` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /consultations/{id}/synthesis"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/consultations/${infer Id1 extends string}/export.${infer Format2 extends string}` ? [Segment<Id1>] extends [never] ? never : [Segment<Format2>] extends [never] ? never : ApiResponses["GET /consultations/{id}/export.{format}"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/consultations/${infer Id1 extends string}/publish` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /consultations/{id}/publish"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/consultations/${infer Id1 extends string}/forget-personal-data` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /consultations/{id}/forget-personal-data"] : never) : never)
  | (M extends "GET" ? (P extends "/topics" ? ApiResponses["GET /topics"] : never) : never)
  | (M extends "POST" ? (P extends "/topics" ? ApiResponses["POST /topics"] : never) : never)
  | (M extends "DELETE" ? (P extends `/topics/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["DELETE /topics/{id}"] : never) : never)
  | (M extends "GET" ? (P extends "/announcements" ? ApiResponses["GET /announcements"] : never) : never)
  | (M extends "POST" ? (P extends "/announcements" ? ApiResponses["POST /announcements"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/announcements/${infer Id1 extends string}` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /announcements/{id}"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/announcements/${infer Id1 extends string}/approve` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /announcements/{id}/approve"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/announcements/${infer Id1 extends string}/cancel` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /announcements/{id}/cancel"] : never) : never)
  | (M extends "GET" ? (P extends "/claims" ? ApiResponses["GET /claims"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/claims/${infer Id1 extends string}/verdict` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /claims/{id}/verdict"] : never) : never)
  | (M extends "POST" ? (P extends "/login" | "/logout" | "/me/totp/recovery-codes" | "/me/totp/setup" | "/me/totp/enable" | "/me/totp/disable" | "/me/password" | "/users" | "/deliveries/resend" | "/faqs" | "/documents" | "/synonyms" | "/citizens/preview" | "/citizens/forget" | "/consultations" | "/topics" | "/announcements" ? never : P extends `/claims/${infer Id1 extends string}/approve` ? [Segment<Id1>] extends [never] ? never : ApiResponses["POST /claims/{id}/approve"] : never) : never)
  | (M extends "GET" ? (P extends "/session" | "/me/sessions" | "/me/totp" | "/users" | "/audit" | "/escalations" | "/events" | "/deliveries/dead-letters" | "/faqs" | "/documents" | "/documents/index-status" | "/reports/summary" | "/reports/topics" | "/reports/export.csv" | "/review/counts" | "/review" | "/synonyms" | "/consultations" | "/topics" | "/announcements" | "/claims" ? never : P extends `/announcements/${infer Id1 extends string}/deliveries.csv` ? [Segment<Id1>] extends [never] ? never : ApiResponses["GET /announcements/{id}/deliveries.csv"] : never) : never)
  | (M extends "POST" ? (P extends "/api/ask" ? ApiResponses["POST /api/ask"] : never) : never);

/**
 * What `api.get('/faqs/' + id)` answers: the response of the operation whose path
 * template the called path fits (`unknown` when none does: a call to a route that does not exist;
 * `any` for a path only known at run time, one that does not start with a literal `/`).
 */
export type ApiResult<M extends string, P extends string> = P extends `/${string}` ? ([Matches<M, P>] extends [never] ? unknown : Matches<M, P>) : any;

export type ApiOperation = keyof ApiResponses;
export type ApiResponse<K extends ApiOperation> = ApiResponses[K];
export type ApiBody<K extends keyof ApiBodies> = ApiBodies[K];
