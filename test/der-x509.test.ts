import test from 'ava';
import * as asn from '@peculiar/asn1-x509';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  derAuthorityKeyId, derBasicConstraints, derExtension, derExtKeyUsage, derKeyUsage, derName, derOid, derSubjectAltName,
  derSubjectKeyId, derValidity, EKU_OID, KEY_USAGE_BIT, SIGNATURE_ALGORITHM_DER,
} from '../lib/pki/der-x509.js';
import { derSequence, derSet } from '../lib/pki/der.js';

// lib/pki/der-x509.ts writes certificates' parts directly instead of through @peculiar's schema:
// each writer must give exactly the bytes the schema gives (a certificate's bytes are its identity:
// fingerprints, derived serials, Go's raw-subject matching).
const schema = (value: unknown) => Buffer.from(AsnConvert.serialize(value)).toString('hex');
const hex = (der: Buffer | undefined) => der?.toString('hex');

test('key usage: every combination of the nine bits, as @peculiar encodes KeyUsage', (t) => {
  t.is(KEY_USAGE_BIT.digitalSignature, asn.KeyUsageFlags.digitalSignature);
  t.is(KEY_USAGE_BIT.contentCommitment, asn.KeyUsageFlags.nonRepudiation);
  t.is(KEY_USAGE_BIT.keyCertSign, asn.KeyUsageFlags.keyCertSign);
  t.is(KEY_USAGE_BIT.decipherOnly, asn.KeyUsageFlags.decipherOnly);
  for (let flags = 1; flags < 512; flags++) t.is(hex(derKeyUsage(flags)), schema(new asn.KeyUsage(flags)), `flags ${flags}`);
});

test('basic constraints, EKU, key ids and the extension around them', (t) => {
  for (const cA of [true, false]) {
    t.is(hex(derBasicConstraints(cA, undefined)), schema(new asn.BasicConstraints({ cA })));
    for (const pathLenConstraint of [0, 1, 127, 128, 300]) t.is(hex(derBasicConstraints(cA, pathLenConstraint)), schema(new asn.BasicConstraints({ cA, pathLenConstraint })));
  }
  t.is(EKU_OID.serverAuth, asn.id_kp_serverAuth);
  t.is(EKU_OID.any, asn.anyExtendedKeyUsage);
  t.is(EKU_OID.ocspSigning, asn.id_kp_OCSPSigning);
  const oids = Object.values(EKU_OID);
  t.is(hex(derExtKeyUsage(oids)), schema(new asn.ExtendedKeyUsage(oids)));
  const id = new Uint8Array(Array.from({ length: 20 }, (_, i) => i * 13));
  t.is(hex(derSubjectKeyId(id)), schema(new asn.SubjectKeyIdentifier(id.buffer)));
  t.is(hex(derAuthorityKeyId(id)), schema(new asn.AuthorityKeyIdentifier({ keyIdentifier: new asn.KeyIdentifier(id.buffer) })));
  const value = derExtKeyUsage([EKU_OID.clientAuth]);
  for (const critical of [true, false]) {
    t.is(hex(derExtension(asn.id_ce_extKeyUsage, critical, value)), schema(new asn.Extension({ extnID: asn.id_ce_extKeyUsage, critical, extnValue: new OctetString(value) })));
  }
  t.is(hex(derOid('1.2.840.113549.1.1.11')), schema(new asn.AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11' })).slice(4));
  t.is(hex(SIGNATURE_ALGORITHM_DER['rsa-sha256']), schema(new asn.AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.11', parameters: null })));
  t.is(hex(SIGNATURE_ALGORITHM_DER['ec-sha256']), schema(new asn.AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' })));
  t.is(hex(SIGNATURE_ALGORITHM_DER['ec-sha384']), schema(new asn.AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.3' })));
});

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;
const attribute = (type: string, value: string) => new asn.AttributeTypeAndValue({ type, value: new asn.AttributeValue(PRINTABLE.test(value) ? { printableString: value } : { utf8String: value }) });
/** The subject as issue.ts built it with the schema: O values in one RDN (sorted by encoding), then CN. */
function schemaName(cn: string, o: readonly string[]): string {
  const rdns: asn.RelativeDistinguishedName[] = [];
  if (o.length > 0) {
    const values = o.map((value) => attribute('2.5.4.10', value)).map((a) => ({ a, der: Buffer.from(AsnConvert.serialize(a)) }));
    rdns.push(new asn.RelativeDistinguishedName(values.sort((x, y) => Buffer.compare(x.der, y.der)).map((v) => v.a)));
  }
  if (cn !== '') rdns.push(new asn.RelativeDistinguishedName([attribute('2.5.4.3', cn)]));
  return schema(new asn.Name(rdns));
}

test('names: printable and UTF-8 values, several O values, an empty subject', (t) => {
  const cases: Array<[string, string[]]> = [
    ['kube-apiserver', []], ['system:node:control-plane', ['system:nodes']], ['', []], ['', ['only-o']],
    ['kubernetes-admin', ['system:masters', 'kubeadm:cluster-admins', 'qa', 'devs']], ['用户', ['组']], ['a_b@c', ['x'.repeat(200)]],
  ];
  for (const [cn, o] of cases) t.is(hex(derName(cn, o)), schemaName(cn, o), `${cn} ${o.join(',')}`);
  t.is(hex(derSet([])), '3100');
  t.is(hex(derSequence([])), '3000');
});

test('validity: UTCTime through 2049, GeneralizedTime after; milliseconds are left to the schema past 2049', (t) => {
  const dates = ['2026-01-01T00:00:00Z', '2026-12-03T19:49:32.123Z', '1999-12-31T23:59:59Z', '1950-01-01T00:00:00Z', '2049-12-31T23:59:59.999Z', '2050-01-01T00:00:00Z', '2126-06-30T12:34:56Z', '9999-12-31T23:59:59Z'].map((d) => new Date(d));
  for (const from of dates) {
    for (const to of dates) t.is(hex(derValidity(from, to)), schema(new asn.Validity({ notBefore: from, notAfter: to })), `${from.toISOString()} ${to.toISOString()}`);
  }
  t.is(derValidity(new Date('2026-01-01T00:00:00Z'), new Date('2126-01-01T00:00:00.5Z')), undefined);
  t.is(derValidity(new Date('1949-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')), undefined);
});

test('subject alternative names: DNS, IPv4, IPv6, email and URI; anything else is left to the schema', (t) => {
  const sans = [
    { dns: 'kubernetes.default.svc.cluster.local' }, { dns: '*.example.com' }, { ip: '10.96.0.1' }, { ip: '127.0.0.1' }, { ip: '::1' }, { ip: '::' },
    { ip: 'fd00::10' }, { ip: '2001:db8:0:0:1:0:0:1' }, { ip: 'fe80::1:2:3:4' }, { ip: '2001:db8::' }, { email: 'a@b.c' }, { uri: 'spiffe://cluster.local/ns/a/sa/b' },
  ];
  const general = (s: (typeof sans)[number]) => new asn.GeneralName('dns' in s ? { dNSName: s.dns } : 'ip' in s ? { iPAddress: s.ip } : 'email' in s ? { rfc822Name: s.email } : { uniformResourceIdentifier: s.uri });
  for (const s of sans) t.is(hex(derSubjectAltName([s])), schema(new asn.SubjectAlternativeName([general(s)])), JSON.stringify(s));
  t.is(hex(derSubjectAltName(sans)), schema(new asn.SubjectAlternativeName(sans.map(general))));
  t.is(derSubjectAltName([{ dns: 'bücher.example' }]), undefined);
  t.is(derSubjectAltName([{ ip: '::ffff:10.0.0.1' }]), undefined);
  t.is(derSubjectAltName([{ ip: 'not-an-ip' }]), undefined);
  for (const ip of ['010.0.0.1', '1.2.3', '256.0.0.1', '1::2::3', '1:2:3:4:5:6:7::8', '1:2:3:4:5:6:7', '12345::', 'fe80::1%eth0', ':1', '']) t.is(derSubjectAltName([{ ip }]), undefined, ip);
});
