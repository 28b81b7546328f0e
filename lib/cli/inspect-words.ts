import type { Lang } from '../verdict/explain.js';

/**
 * The words of `pki inspect`'s text (and `scenario --expirations`) in each language: one interface,
 * so an English word added without its Chinese form does not compile. Names, paths, dates, reason
 * codes and each check's own detail stay as they are.
 */
export interface InspectWords {
  heading(root: string, preset: string | undefined, at: string): string;
  leafHeaders: [certificate: string, expires: string, residual: string, authority: string];
  caHeaders: [authority: string, expires: string, residual: string];
  checkHeaders: [certificate: string, cn: string, o: string, issuer: string, eku: string, chain: string, ekuFits: string, key: string];
  subject: string;
  serial: string;
  issuer: string;
  checkedAgainst(path: string, certificate: number | undefined, of: number | undefined, serial: string | undefined): string;
  valid: string;
  sans: string;
  ok: string;
  fail: string;
  goWouldSay: string;
  sentInChain: string;
  summary(ok: boolean, certificates: number, problems: number, failing: number): string;
}

export const INSPECT_WORDS: Record<Lang, InspectWords> = {
  en: {
    heading: (root, preset, at) => `[check-expiration] ${root}: ${preset ? `${preset} layout` : 'unknown layout'}, at ${at}`,
    leafHeaders: ['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY'],
    caHeaders: ['CERTIFICATE AUTHORITY', 'EXPIRES', 'RESIDUAL TIME'],
    checkHeaders: ['CERTIFICATE', 'CN', 'O', 'ISSUER', 'EKU', 'CHAIN', 'EKU FITS', 'KEY'],
    subject: 'subject', serial: 'serial', issuer: 'issuer', valid: 'valid', sans: 'SANs', ok: 'ok  ', fail: 'FAIL',
    checkedAgainst: (path, certificate, of, serial) => `checked against ${path}${certificate ? ` (certificate ${certificate} of ${of}, serial ${serial})` : ''}`,
    goWouldSay: 'a Go component would say',
    sentInChain: '(sent in the chain)',
    summary: (ok, certificates, problems, failing) => (ok
      ? `[check-expiration] ok: ${certificates} certificate(s), every file of the layout present and every check passed`
      : `[check-expiration] FAIL: ${problems} problem(s) with the folder or its files, ${failing} certificate(s) failing a check`),
  },
  zh: {
    // lib/cluster/inspect.ts names a running cluster's files so, not by a folder.
    heading: (root, preset, at) => `[证书到期] ${root === '(the running cluster)' ? '（运行中的集群）' : root}：${preset ? `${preset} 布局` : '未知布局'}，时间 ${at}`,
    leafHeaders: ['证书', '到期时间', '剩余时间', '证书颁发机构'],
    caHeaders: ['证书颁发机构', '到期时间', '剩余时间'],
    checkHeaders: ['证书', 'CN', 'O', '签发者', 'EKU', '证书链', 'EKU 匹配', '私钥'],
    subject: '主体', serial: '序列号', issuer: '签发者', valid: '有效期', sans: 'SAN', ok: '通过', fail: '失败',
    checkedAgainst: (path, certificate, of, serial) => `用 ${path} 校验${certificate ? `（${of} 张中的第 ${certificate} 张，序列号 ${serial}）` : ''}`,
    goWouldSay: 'Go 组件会说',
    sentInChain: '（随证书链发送）',
    summary: (ok, certificates, problems, failing) => (ok
      ? `[证书到期] 通过：${certificates} 张证书，布局中的文件齐全，所有检查均通过`
      : `[证书到期] 失败：目录或其文件有 ${problems} 个问题，${failing} 张证书未通过检查`),
  },
};
