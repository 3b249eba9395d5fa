import type { RequestHandler } from 'express';

/**
 * `/.well-known/security.txt` (RFC 9116): where to report a vulnerability in this
 * deployment. Served only when `LOA_SECURITY_CONTACT` is set (a `mailto:` or `https:` URI,
 * comma-separated for several); `Expires` is a year ahead, as the RFC recommends, and
 * moves with each restart.
 */
export function securityTxt(opts: { contact?: string; publicUrl?: string; languages?: string }, now: () => Date = () => new Date()): RequestHandler | undefined {
  if (!opts.contact) return undefined;
  const contacts = opts.contact
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  return (_req, res) => {
    const expires = new Date(now().getTime() + 365 * 86_400_000);
    expires.setUTCMilliseconds(0);
    const lines = [
      ...contacts.map((c) => `Contact: ${c}`),
      `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
      `Preferred-Languages: ${opts.languages ?? 'vi, en'}`,
      ...(opts.publicUrl ? [`Canonical: ${opts.publicUrl.replace(/\/+$/, '')}/.well-known/security.txt`] : []),
    ];
    res.type('text/plain; charset=utf-8').send(`${lines.join('\n')}\n`);
  };
}
