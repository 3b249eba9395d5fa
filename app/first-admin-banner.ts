/** Where start-up output goes: the process's streams, or a test's stand-in. */
export interface TerminalOut {
  isTTY?: boolean;
}

/**
 * Whether a generated first administrator may be shown: only to an interactive terminal
 * (`npm start` on a laptop). Under systemd, Docker or a pipe the output lands in shared logs,
 * so the operator sets LOA_ADMIN_EMAIL/LOA_ADMIN_PASSWORD or runs `loa user add` instead. A
 * loopback bind says nothing about this: a reverse proxy on the same host serves the Internet.
 * The password is then shown once in the framed start-up banner (app/commands/banner.ts),
 * apart from the JSON log lines.
 */
export function mayGenerateFirstAdmin(...outs: TerminalOut[]): boolean {
  return outs.some((o) => o.isTTY === true);
}
