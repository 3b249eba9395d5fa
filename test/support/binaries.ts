import { accessSync, constants } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Programs some suites need on the machine (Chromium for the browser tests, nginx for the
 * reverse-proxy test). Like the PostgreSQL and Redis gates in `services.ts`: outside CI a
 * missing program skips its suite with a loud warning; with CI=true it is a failure
 * (`.ci/run` installs them).
 */
export function findExecutable(candidates: string[]): string | undefined {
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

function gate(name: string, candidates: string[], install: string): string | undefined {
  const found = findExecutable(candidates);
  if (process.env.CI === 'true') {
    describe(`${name} on this machine`, () => {
      it(`is installed (required when CI=true; ${install})`, () => {
        expect(found, `${name} must be installed in CI (looked for ${candidates.join(', ')})`).toBeDefined();
      });
    });
  } else if (!found) {
    console.warn(`\n*** ${name} not found (${candidates.join(', ')}): skipping these tests; ${install} ***\n`);
  }
  return found;
}

/** Headless Chromium for playwright-core; LOA_TEST_CHROMIUM names another (and only that) path. */
export function useChromium(): string | undefined {
  const override = process.env.LOA_TEST_CHROMIUM;
  const candidates = override ? [override] : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return gate('Chromium', candidates, 'install it with `apt-get install chromium` or set LOA_TEST_CHROMIUM');
}

/** nginx for the reverse-proxy test; LOA_TEST_NGINX names another (and only that) path. */
export function useNginx(): string | undefined {
  const override = process.env.LOA_TEST_NGINX;
  const candidates = override ? [override] : ['/usr/sbin/nginx', '/usr/bin/nginx'];
  return gate('nginx', candidates, 'install it with `apt-get install nginx`');
}
