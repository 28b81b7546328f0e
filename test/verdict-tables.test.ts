import test from 'ava';
import { FIX } from '../lib/verdict/fix.js';
import { NODE_TLS_REASONS, nodeTlsReason } from '../lib/verdict/node-tls.js';
import { PHRASES } from '../lib/verdict/phrases.js';
import { REASONS, REASON_VERDICT, type Reason } from '../lib/verdict/reasons.js';
import { WHY } from '../lib/verdict/why.js';

// Type level (tsc, run by `npm test`): every table is keyed by exactly the reasons. A table that
// lacks one does not compile; neither does one with a key that is not a reason.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exhaustive: [Exactly<keyof typeof WHY, Reason>, Exactly<keyof typeof FIX, Reason>, Exactly<keyof typeof REASON_VERDICT, Reason>] = [true, true, true];
const { TIMEOUT: _timeout, ...whyWithoutTimeout } = WHY;
// @ts-expect-error a why table without TIMEOUT is refused
const incomplete: Record<Reason, unknown> = whyWithoutTimeout;

test('why, fix and the verdict table cover exactly the documented reasons', (t) => {
  t.deepEqual(exhaustive, [true, true, true]);
  t.true(Object.keys(incomplete).length < Object.keys(REASONS).length);
  const reasons = Object.keys(REASONS).sort();
  t.deepEqual(Object.keys(WHY).sort(), reasons);
  t.deepEqual(Object.keys(FIX).sort(), reasons);
  t.deepEqual(Object.keys(REASON_VERDICT).sort(), reasons);
});

test('each language has every phrase the tables use', (t) => {
  t.deepEqual(Object.keys(PHRASES.zh).sort(), Object.keys(PHRASES.en).sort());
});

test('node:tls codes: the version ones are TLS_VERSION, other codes are not guessed from their spelling', (t) => {
  t.is(nodeTlsReason('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), 'TLS_VERSION');
  t.is(nodeTlsReason('ERR_SSL_UNSUPPORTED_PROTOCOL'), 'TLS_VERSION');
  t.is(nodeTlsReason('ECONNRESET'), undefined);
  t.is(nodeTlsReason('toString'), undefined);
  t.is(nodeTlsReason(undefined), undefined);
  for (const reason of Object.values(NODE_TLS_REASONS)) t.is(REASON_VERDICT[reason], 'rejected');
});
