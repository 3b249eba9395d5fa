import { describe, expect, it } from 'vitest';
import { startTestLoa } from '../admin/harness.ts';

describe('Zalo domain verification through the whole server', () => {
  it('serves the verifier file and puts the meta tag on the root page, before the channel is configured', async () => {
    const code = 'Abc123-xyz_789';
    const t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', ZALO_SITE_VERIFICATION: code });
    try {
      expect(t.loa.channels.zalo).toBeUndefined();
      const file = await fetch(`${t.url}/zalo_verifier${code}.html`);
      expect(file.status).toBe(200);
      expect(await file.text()).toContain(`content="${code}"`);
      const root = await fetch(`${t.url}/`);
      expect(root.status).toBe(200);
      expect(root.headers.get('content-security-policy')).toBeTruthy();
      const html = await root.text();
      expect(html).toContain(`<meta name="zalo-platform-site-verification" content="${code}">`);
      expect(html).toContain('Loa — Hỏi đáp chính sách');
    } finally {
      await t.stop();
    }
  });

  it('leaves the root page alone without ZALO_SITE_VERIFICATION', async () => {
    const t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    try {
      expect(await (await fetch(`${t.url}/`)).text()).not.toContain('zalo-platform-site-verification');
    } finally {
      await t.stop();
    }
  });
});
