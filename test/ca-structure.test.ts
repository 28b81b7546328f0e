import test from 'ava';
import { runScenario } from '../lib/scenarios/run.js';
import { explain } from '../lib/verdict/explain.js';
import { SCENARIOS } from '../scenarios/index.js';
import { clock } from './helpers/pki.js';

// Certificates Go refuses for how they are built (name bytes, a critical extension, a CA's path
// length or name constraints): each catalogue scenario gets Go's verdict, and its explanation names
// that cause in both languages instead of a wrong CA or a non-CA issuer.
const CASES: [name: string, goError: string, why: RegExp, fix: RegExp, zh: RegExp][] = [
  ['kubelet-client-issuer-utf8-name', 'UnknownAuthorityError', /same\s+text and key id as the trusted CA, but not the same bytes/, /copies the CA's subject bytes/, /字节不同/],
  ['apiserver-serving-via-pathlen0-intermediate', 'TooManyIntermediates', /ends at CN=kubernetes limits how many intermediate CAs/, /fewer intermediate CAs/, /pathLenConstraint/],
  ['apiserver-serving-excluded-by-name-constraints', 'CANotAuthorizedForThisName', /carries name constraints that a name of CN=kube-apiserver/, /without the names the constraints forbid/, /名称约束/],
  ['kubelet-client-signed-sha1', 'UnknownAuthorityError', /with a hash Go refuses as insecure .*insecure algorithm ECDSA-SHA1/s, /SHA-256 or stronger/, /不安全（SHA-1 或 MD5）/],
  ['etcd-server-unknown-critical-extension', 'UnhandledCriticalExtension', /extension marked critical that Go does not know/, /without that extension/, /关键（critical）/],
  // The server side: the apiserver starts with these certificates (they load), and kubectl refuses them.
  ['apiserver-serving-signed-sha1', 'UnknownAuthorityError', /insecure algorithm ECDSA-SHA1 \(temporarily override with GODEBUG=x509sha1=1\)/, /SHA-256 or stronger/, /不安全（SHA-1 或 MD5）/],
  ['apiserver-serving-signed-md5', 'UnknownAuthorityError', /insecure algorithm MD5-RSA"/, /SHA-256 or stronger/, /不安全（SHA-1 或 MD5）/],
  ['apiserver-serving-ecdsa-chain-under-rsa-ca', 'UnknownAuthorityError', /another type .*"x509: signature algorithm specifies an ECDSA public key, but have public key of type \*rsa\.PublicKey"/s, /with that CA's key, whatever its type/, /密钥类型/],
  ['apiserver-serving-rsa-chain-under-ecdsa-ca', 'UnknownAuthorityError', /"x509: signature algorithm specifies an RSA public key, but have public key of type \*ecdsa\.PublicKey"/, /with that CA's key, whatever its type/, /密钥类型/],
  ['apiserver-serving-expired-intermediate', 'Expired', /the intermediate CA CN=kubernetes-intermediate\s+sent with it .*"x509: certificate has expired or is not yet valid: current time/s, /Renew the intermediate CA CN=kubernetes-intermediate/, /中间 CA/],
];

for (const [name, goError, why, fix, zh] of CASES) {
  test(`${name}: Go's verdict, and an explanation of the cause`, async (t) => {
    const scenario = SCENARIOS.find((s) => s.name === name)!;
    const { result, mismatches } = await runScenario(scenario, clock);
    t.deepEqual(mismatches, []);
    const cause = result.cause;
    const verify = cause.kind === 'http' ? cause.authn?.verify : 'verify' in cause ? cause.verify : undefined;
    t.is(verify?.goError as string | undefined, goError);
    const e = explain(result);
    t.regex(e.why, why);
    t.notRegex(e.why, /which is not a CA|Neither the issuer name nor the key/);
    t.regex(e.fix, fix);
    t.regex(explain(result, 'zh').why, zh);
  });
}
