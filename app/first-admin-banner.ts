/** Where the banner goes: the process's stdout, or a test's stand-in. */
export interface TerminalOut {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * The callback that shows a generated first administrator's one-time password, or undefined
 * when nobody is watching a terminal. Only an interactive start (stdout is a TTY: `npm start`
 * on a laptop) gets a generated administrator; under systemd, Docker or a pipe the output
 * lands in shared logs, so the operator sets LOA_ADMIN_EMAIL/LOA_ADMIN_PASSWORD or runs
 * `loa user add` instead. A loopback bind says nothing about this: a reverse proxy on the
 * same host serves the Internet. The banner is plain text on stdout, apart from the JSON log
 * lines on stderr, so log collectors never see the password.
 */
export function firstAdminBanner(out: TerminalOut): ((email: string, password: string) => void) | undefined {
  if (!out.isTTY) return undefined;
  return (email, password) => {
    out.write(
      `\nTài khoản quản trị đầu tiên / First console administrator (shown once):\n  email: ${email}\n  password: ${password}\n` +
        `  Đổi mật khẩu khi đăng nhập lần đầu / you will be asked to change it at first sign-in.\n\n`,
    );
  };
}
