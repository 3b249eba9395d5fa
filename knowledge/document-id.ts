import { extname } from 'node:path';
import { fold } from '../domain/fold.ts';

/**
 * A stable, readable document id from a path relative to the folder that was ingested:
 * "Luật/Luật Cư Trú.pdf" → "luat/luat-cu-tru". Citation ids build on it
 * ("luat/luat-cu-tru::20.2"), so it is ASCII and never contains "::".
 */
export function documentIdFromPath(relativePath: string): string {
  const withoutExt = relativePath.slice(0, relativePath.length - extname(relativePath).length);
  const segments = withoutExt
    .split(/[\\/]+/u)
    .map((seg) =>
      fold(seg)
        .toLowerCase()
        .replace(/[^a-z0-9._]+/gu, '-')
        .replace(/^[-.]+|[-.]+$/gu, ''),
    )
    .filter((seg) => seg.length > 0);
  return segments.join('/') || 'document';
}

/** A readable fallback title from a file name: "luat-cu-tru.pdf" → "luat cu tru". */
export function titleFromFileName(name: string): string {
  const base = name.split(/[\\/]/u).pop() ?? name;
  return base.slice(0, base.length - extname(base).length).replace(/[-_]+/gu, ' ').trim() || base;
}
