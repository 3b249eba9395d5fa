import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { RequestHandler, Response } from 'express';

/**
 * Serves the widget's text files (`.js`, `.css`, `.html`, `.svg`) compressed, Brotli or gzip
 * as the browser accepts, compressed once per file version and kept in memory: every portal
 * page loads the widget, often over a phone connection. Anything else (or a client that
 * accepts neither) falls through to `express.static`.
 */
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Compressed {
  mtimeMs: number;
  etag: string;
  br: Buffer;
  gzip: Buffer;
}

export function compressedStatic(publicDir: string, setHeaders: (res: Response, path: string) => void): RequestHandler {
  const cache = new Map<string, Compressed>();
  const root = normalize(publicDir + sep);
  return async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const type = TYPES[extname(req.path)];
    // Brotli when accepted at all (smaller), else gzip.
    const accepts = req.acceptsEncodings('br') === 'br' ? 'br' : req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : undefined;
    if (!type || !accepts) return next();
    const file = normalize(join(publicDir, decodeURIComponent(req.path)));
    if (!file.startsWith(root)) return next();
    let entry: Compressed | undefined;
    try {
      const st = await stat(file);
      if (!st.isFile()) return next();
      entry = cache.get(file);
      if (!entry || entry.mtimeMs !== st.mtimeMs) {
        const raw = await readFile(file);
        entry = {
          mtimeMs: st.mtimeMs,
          etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`,
          br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          gzip: gzipSync(raw, { level: 9 }),
        };
        cache.set(file, entry);
      }
    } catch {
      return next();
    }
    setHeaders(res, file);
    res.set({ 'Content-Type': type, 'Content-Encoding': accepts, Vary: 'Accept-Encoding', ETag: entry.etag });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const body = accepts === 'br' ? entry.br : entry.gzip;
    res.set('Content-Length', String(body.length));
    if (req.method === 'HEAD') res.end();
    else res.end(body);
  };
}
