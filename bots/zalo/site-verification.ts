import type { Express } from 'express';

/**
 * Zalo's domain verification: before a webhook on a domain can be registered, the Zalo
 * developer console asks for a file `zalo_verifier<code>.html` on that domain, carrying the
 * `zalo-platform-site-verification` meta tag with the same code. `ZALO_SITE_VERIFICATION`
 * holds the code (letters, digits, `-`, `_`: validated in `app/config.ts`).
 */
/** The meta tag's name, also put on the site's root page (the meta-tag method). */
export const ZALO_SITE_VERIFICATION_META = 'zalo-platform-site-verification';

export function zaloVerifierPath(code: string): string {
  return `/zalo_verifier${code}.html`;
}

/** The page served at `zaloVerifierPath(code)`. */
export function zaloVerifierPage(code: string): string {
  return (
    `<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">` +
    `<meta name="${ZALO_SITE_VERIFICATION_META}" content="${code}" /></head>` +
    `<body>There Is No Limit To What You Can Accomplish Using Zalo!</body></html>\n`
  );
}

/** Mounts `GET /zalo_verifier<code>.html`. */
export function mountZaloSiteVerification(app: Express, code: string): void {
  const page = zaloVerifierPage(code);
  app.get(zaloVerifierPath(code), (_req, res) => {
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' }).send(page);
  });
}
