import { isIP } from 'node:net';

/** What Express's "trust proxy" gets: off, a hop count, or the proxies' addresses. */
export type TrustProxy = false | number | string[];

/** Express's names for address ranges (proxy-addr). */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One address or subnet: `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`, or a range name. */
function isProxyAddress(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Parses `LOA_TRUST_PROXY`. `true` is refused: it trusts every hop, so Express takes the
 * left-most `X-Forwarded-For` entry, which any client writes itself; one could then bypass
 * every per-IP limit (logins, web chat sessions, the ask API) by sending a new address each
 * time. Accepts the number of proxies in front of Loa (`1` for one nginx) or their
 * addresses (comma-separated; `loopback` for a proxy on the same host).
 */
export function parseTrustProxy(value: string): { ok: true; value: TrustProxy } | { ok: false; message: string } {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false' || v === '0') return { ok: true, value: false };
  if (v === 'true') {
    return {
      ok: false,
      message:
        '"true" trusts any X-Forwarded-For a client sends, so anyone could bypass the per-IP limits: give the number of proxies in front of Loa (e.g. 1) or their addresses (e.g. loopback, or 10.0.0.5)',
    };
  }
  if (/^\d+$/.test(v)) return { ok: true, value: Number(v) };
  const entries = v.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (bad.length > 0) {
    return { ok: false, message: `not a hop count, an address, a subnet or loopback/linklocal/uniquelocal: ${bad.map((b) => JSON.stringify(b)).join(', ')}` };
  }
  return { ok: true, value: entries };
}
