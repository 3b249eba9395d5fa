import type { WebchatMessage } from '../../storage/webchat-store.ts';

/** A citizen's web chat session, as `POST /webchat/api/sessions` returns it. */
export interface WebchatSession {
  sessionId: string;
  token: string;
}

/** Opens a web chat session; throws unless the server created one. */
export async function openWebchatSession(base: string): Promise<WebchatSession> {
  const res = await fetch(`${base}/webchat/api/sessions`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`webchat session: HTTP ${res.status}`);
  return (await res.json()) as WebchatSession;
}

/** Raw `POST /webchat/api/messages` for the session (`token` defaults to the session's own). */
export function postWebchatMessage(base: string, s: WebchatSession, body: Record<string, unknown>, token = s.token): Promise<Response> {
  return fetch(`${base}/webchat/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ sessionId: s.sessionId, ...body }),
  });
}

/** The session's transcript after `after`; throws unless the server answered it. */
export async function listWebchatMessages(base: string, s: WebchatSession, after = 0): Promise<WebchatMessage[]> {
  const res = await fetch(`${base}/webchat/api/messages?sessionId=${s.sessionId}&after=${after}`, {
    headers: { Authorization: `Bearer ${s.token}` },
  });
  if (!res.ok) throw new Error(`webchat transcript: HTTP ${res.status}`);
  return ((await res.json()) as { messages: WebchatMessage[] }).messages;
}
