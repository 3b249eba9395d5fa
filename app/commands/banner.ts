/**
 * The start-up banner of `loa serve`, written to stderr apart from the JSON log lines: where
 * things are, and (once) the generated console administrator.
 */
export function startupBanner(info: { url: string; metricsUrl?: string; firstAdmin?: { email: string; password: string } }): string {
  const { url } = info;
  const lines = [
    '',
    '┌──────────────────────────────────────────────────────────────',
    `│ Loa đang chạy / Loa is running: ${url}`,
    `│   Web chat demo:               ${url}/`,
    `│   Bảng điều khiển / Console:   ${url}/admin`,
    `│   Sẵn sàng / Readiness:        ${url}/readyz   (alive: ${url}/livez)`,
    ...(info.metricsUrl ? [`│   Metrics:                     ${info.metricsUrl}/metrics`] : []),
  ];
  if (info.firstAdmin) {
    lines.push(
      '│',
      '│ Tài khoản quản trị đầu tiên / First console administrator (shown once):',
      `│   email:    ${info.firstAdmin.email}`,
      `│   password: ${info.firstAdmin.password}`,
      '│   Lần đăng nhập đầu: đổi mật khẩu, rồi bật xác thực hai lớp (ứng dụng',
      '│   xác thực trên điện thoại) / first sign-in: choose a new password, then',
      '│   enrol an authenticator app (LOA_REQUIRE_TOTP=admin),',
      '│   or set LOA_ADMIN_EMAIL and LOA_ADMIN_PASSWORD.',
    );
  }
  lines.push('└──────────────────────────────────────────────────────────────', '', '');
  return lines.join('\n');
}
