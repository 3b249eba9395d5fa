import { afterEach, describe, expect, it } from 'vitest';
import { firstAdminBanner } from '../../app/first-admin-banner.ts';
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

  it('generates a first administrator only for an interactive terminal, and prints it as plain text', () => {
    const written: string[] = [];
    expect(firstAdminBanner({ isTTY: false, write: (s) => written.push(s) })).toBeUndefined();
    expect(firstAdminBanner({ write: (s) => written.push(s) })).toBeUndefined();
    const announce = firstAdminBanner({ isTTY: true, write: (s) => written.push(s) });
    announce?.('admin@loa.local', 'Mk7pQ2xZ9aBcDeFg');
    expect(written).toHaveLength(1);
    expect(written[0]).toContain('password: Mk7pQ2xZ9aBcDeFg');
    expect(written[0]).not.toMatch(/^\s*\{/m);
  });
});
