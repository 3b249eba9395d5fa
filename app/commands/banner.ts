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
      '│   Đổi mật khẩu sau khi đăng nhập / change it after signing in,',
      '│   or set LOA_ADMIN_EMAIL and LOA_ADMIN_PASSWORD.',
    );
  }
  lines.push('└──────────────────────────────────────────────────────────────', '', '');
  return lines.join('\n');
}
