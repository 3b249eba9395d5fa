/**
 * Escapes the LIKE wildcards (`%`, `_`) and the escape character itself, so `s` matches
 * literally inside a pattern written with `ESCAPE '\'` (the same on SQLite and PostgreSQL).
 */
export const likeLiteral = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
