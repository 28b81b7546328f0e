/** Columns a terminal gives a text: two for each CJK or full-width character (a Chinese header or cell), one for others. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

/** Left-aligned columns separated by three spaces, as kubectl and kubeadm print tables. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (c: string, width: number) => c + ' '.repeat(Math.max(0, width - displayWidth(c)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join('   ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** kubeadm's residual time: `364d`, `9y`, `<invalid>` once expired. */
export function residual(ms: number): string {
  if (ms <= 0) return '<invalid>';
  const days = Math.floor(ms / 86_400_000);
  if (days >= 365 * 2) return `${Math.floor(days / 365)}y`;
  if (days >= 1) return `${days}d`;
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 1 ? `${hours}h` : `${Math.floor(ms / 60_000)}m`;
}

/** `Jan 01, 2027 00:00 UTC`, kubeadm's expiry format. */
export function kubeadmDate(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${pad(date.getUTCDate())}, ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}
