import type { CheckResult } from '../layout/inspect.js';
import type { Lang } from '../verdict/explain.js';

/**
 * Each check's own sentence in `pki inspect` and `scenario --expirations`, in the report's language.
 * The checks (lib/layout/inspect.ts, lib/pki/verify.ts) say them in English, one closed set of
 * sentences; each has its Chinese form here, its facts (names, paths, dates, counts) carried over.
 * What Go itself prints (`tls: private key does not match public key`) and typed errors stay as they are.
 * test/inspect-zh.test.ts checks that every sentence the checks say has its form here.
 */
type Translation = [pattern: RegExp, zh: (...facts: string[]) => string];

const ROLE_ZH: Record<string, string> = { server: '服务端', client: '客户端', 'server-and-client': '服务端兼客户端' };
const role = (r: string) => ROLE_ZH[r] ?? r;

const ZH: Translation[] = [
  [/^self-signed, and not one of the trusted CAs$/, () => '自签名，且不是受信任的 CA 之一'],
  [/^(".*") signed it but is not a CA \(CA:FALSE\)$/, (who) => `由 ${who} 签发，但它不是 CA（CA:FALSE）`],
  [/^issuer is named (".*") like the trusted CA, but that CA's key did not sign it$/, (name) => `签发者名为 ${name}，与受信任的 CA 同名，但并非由该 CA 的私钥签名`],
  [/^issuer (".*") is not a trusted CA( \(and no intermediate was sent\))?$/, (name, none) => `签发者 ${name} 不是受信任的 CA${none ? '（而且没有发送中间证书）' : ''}`],
  [/^(certificate|issuer ".*") is not valid before (\S+)$/, (who, at) => `${who === 'certificate' ? '证书' : `签发者 ${who.slice('issuer '.length)}`}在 ${at} 之前无效`],
  [/^(certificate|issuer ".*") expired at (\S+)$/, (who, at) => `${who === 'certificate' ? '证书' : `签发者 ${who.slice('issuer '.length)}`}已于 ${at} 过期`],
  [/^verified against (".*")$/, (ca) => `已用 ${ca} 校验通过`],
  [/^cannot check: its CA file (.*) is unreadable$/, (file) => `无法检查：它的 CA 文件 ${file} 无法读取`],
  [/^no CA in this folder issued it$/, () => '此目录中没有签发它的 CA'],
  [/^no private key found beside it$/, () => '旁边没有找到私钥'],
  [/^the private key matches$/, () => '私钥匹配'],
  [/^key discarded by design$/, () => '私钥按设计被丢弃'],
  [/^(tls: private key does not match public key) \(it matches certificate (\d+) of (\d+); Go pairs a key with the first\)$/,
    (go, n, of) => `${go}（私钥与 ${of} 张中的第 ${n} 张证书匹配；Go 把私钥与第一张证书配对）`],
  [/^(tls: private key does not match public key)$/, (go) => `${go}（私钥与证书的公钥不匹配）`],
  [/^CA certificate$/, () => 'CA 证书'],
  [/^role unknown$/, () => '角色未知'],
  [/^no EKU extension: any purpose$/, () => '没有 EKU 扩展：可用于任何用途'],
  [/^(.*) fits a (\S+) certificate$/, (names, r) => `${names} 符合${role(r!)}证书的要求`],
  [/^a (\S+) certificate needs (.*); it has (.*)$/, (r, needs, has) => `${role(r!)}证书需要 ${needs!.replace(/ and /g, ' 和 ')}；它只有 ${has}`],
];

/** The check's sentence in `lang`; a sentence without a Chinese form (a typed error's message) stays as it is. */
export function checkDetail(check: CheckResult, lang: Lang): string {
  if (lang === 'en') return check.detail;
  for (const [pattern, zh] of ZH) {
    const m = pattern.exec(check.detail);
    if (m) return zh(...m.slice(1).map((f) => f ?? ''));
  }
  return check.detail;
}

/** Whether `detail` has a Chinese form (for the test that every sentence the checks say has one). */
export function hasChineseForm(detail: string): boolean {
  return ZH.some(([pattern]) => pattern.test(detail));
}

