import { UnknownWebchatSessionError, type WebchatCitation, type WebchatStore } from './ports.ts';
import type { OutgoingMessage, Recipient } from '../../domain/channel.ts';
import type { Citation } from '../../domain/citation.ts';
import { footnote, safeUrl } from '../core/format.ts';
import { ChannelSendError, type ChannelSender } from '../core/types.ts';
import type { WebchatHub } from './ports.ts';

/**
 * Pre-renders citations for the widget, so it stays dumb: the label comes from the same
 * `footnote()` every channel uses (title, number, "bản tóm tắt", "đã hết hiệu lực" …),
 * rendered without its URL and "[n] " prefix because the widget lays those out itself.
 */
export function toWebchatCitations(citations: Citation[] = []): WebchatCitation[] {
  return citations.map((c, i) => {
    const n = i + 1;
    const label = footnote({ ...c, url: undefined }, n, 'plain').slice(`[${n}] `.length);
    const url = safeUrl(c.url);
    return url ? { n, label, url, quote: c.quote } : { n, label, quote: c.quote };
  });
}

/** The session a recipient refers to: `address.sessionId`, else the user id. */
function sessionIdOf(to: Recipient): string {
  const fromAddress = to.address.sessionId;
  return typeof fromAddress === 'string' ? fromAddress : to.userId;
}

/**
 * The web chat's outbound half: stores the message in the session's transcript (so it is
 * there when the citizen comes back, even hours later) and pushes it to the session's open
 * event streams. The message id is `<sessionId>:<seq>`.
 */
export function createWebchatSender(store: WebchatStore, hub: WebchatHub): ChannelSender {
  return {
    channel: 'webchat',
    async send(to: Recipient, message: OutgoingMessage) {
      if (to.channel !== 'webchat') throw new ChannelSendError(`Not a web chat recipient: ${to.channel}`, false, 'wrong_channel');
      const sessionId = sessionIdOf(to);
      let stored;
      try {
        ({ message: stored } = await store.appendMessage(sessionId, {
          kind: message.kind,
          text: message.text,
          citations: toWebchatCitations(message.citations),
          ...(message.answerId ? { answerId: message.answerId } : {}),
          ...(message.actions?.length ? { actions: message.actions } : {}),
        }));
      } catch (err) {
        // A deleted session will never come back: retrying cannot help.
        if (err instanceof UnknownWebchatSessionError) throw new ChannelSendError(err.message, false, 'unknown_session');
        throw new ChannelSendError(`Could not store web chat message: ${String(err)}`, true, 'store_failed');
      }
      hub.publish(sessionId, stored);
      return { channelMessageIds: [`${sessionId}:${stored.seq}`] };
    },
  };
}
