import { isIP as nodeIsIP } from 'node:net';
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import { isIP } from '../lib/util/ip.js';

// util/ip's isIP skips node's IPv6 pattern for names without ':'; it must answer exactly as node:net does.
const candidates = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.domain(), fc.string(), fc.stringMatching(/^[0-9a-f:.%]{0,40}$/));
testProp('isIP answers as node:net isIP for any text', [candidates], (t, text) => {
  t.is(isIP(text) as number, nodeIsIP(text));
}, { numRuns: 2000, seed: 92026 });

test('isIP on the forms a cluster config holds', (t) => {
  t.deepEqual(['10.0.0.1', '::1', '::ffff:10.0.0.1', 'fe80::1%eth0', 'kubernetes.default', '', '1.2.3'].map(isIP), [4, 6, 6, 6, 0, 0, 0]);
});
