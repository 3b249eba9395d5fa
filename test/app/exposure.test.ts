import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { startupBanner } from '../../app/commands/banner.ts';
import { mayGenerateFirstAdmin } from '../../app/first-admin-banner.ts';
import { startTestLoa, type TestLoa } from '../admin/harness.ts';

let t: TestLoa | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

const activity = { type: 'message', id: 'a1', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9/', from: { id: 'u' }, recipient: { id: 'b' }, conversation: { id: 'c' }, text: 'xin chào' };
const postActivity = (url: string) =>
  fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });

describe('what a default start exposes', () => {
  it('does not mount the unauthenticated Bot Framework endpoint on the default loopback bind', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    const res = await postActivity(t.url);
    expect(res.status).toBe(404);
    expect(t.loa.channels.botframework).toBeUndefined();
  });

  it('mounts it without credentials only with LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED=true', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_BOTFRAMEWORK_DEV_UNAUTHENTICATED: 'true' });
    expect(t.loa.channels.botframework).toBeDefined();
    expect((await postActivity(t.url)).status).toBe(200);
  });

  it('generates a first administrator only for an interactive terminal, and shows it as plain text in the banner', () => {
    expect(mayGenerateFirstAdmin({ isTTY: false }, {})).toBe(false);
    expect(mayGenerateFirstAdmin({}, { isTTY: true })).toBe(true);
    const banner = startupBanner({ url: 'http://127.0.0.1:3000', firstAdmin: { email: 'admin@loa.local', password: 'Mk7pQ2xZ9aBcDeFg' } });
    expect(banner).toContain('│   password: Mk7pQ2xZ9aBcDeFg');
    expect(banner).toContain('rồi bật xác thực hai lớp');
    expect(banner).not.toMatch(/^\s*\{/m);
  });
});

describe('/.well-known/security.txt', () => {
  it('is served (RFC 9116 fields) only when LOA_SECURITY_CONTACT is set', async () => {
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false' });
    expect((await fetch(`${t.url}/.well-known/security.txt`)).status).toBe(404);
    await t.stop();
    t = await startTestLoa({ LOA_SAMPLE_KNOWLEDGE: 'false', LOA_SECURITY_CONTACT: 'mailto:attt@so.gov.vn, https://so.gov.vn/bao-loi', LOA_PUBLIC_URL: 'https://loa.so.gov.vn/' });
    const res = await fetch(`${t.url}/.well-known/security.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const lines = (await res.text()).trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['Contact: mailto:attt@so.gov.vn', 'Contact: https://so.gov.vn/bao-loi', 'Canonical: https://loa.so.gov.vn/.well-known/security.txt']));
    const expires = Date.parse(lines.find((l) => l.startsWith('Expires: '))?.slice(9) ?? '');
    expect(expires).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    expect(() => loadConfig({ LOA_SECURITY_CONTACT: 'attt@so.gov.vn' })).toThrow(/LOA_SECURITY_CONTACT: use mailto: or https: URIs/);
  });
});
