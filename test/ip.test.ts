import { isIP as nodeIsIP } from 'node:net';
import { fc, testProp } from '@fast-check/ava';
import test from 'ava';
import { isIP } from '../lib/util/ip.js';

// util/ip's isIP skips node's IPv6 pattern for names without ':'; it must answer exactly as node:net does.
// Text built from the pieces addresses are made of, so that near-misses (a ':' too many, an IPv4
// part in the middle, a zone) are common, not rare.
const pieces = fc.array(fc.oneof(fc.constant(':'), fc.constant('::'), fc.constant('.'), fc.constant('%'), fc.stringMatching(/^[0-9a-fA-F]{0,5}$/),
  fc.integer({ min: 0, max: 300 }).map(String), fc.ipV4(), fc.ipV6()), { maxLength: 12 }).map((a) => a.join(''));
const zoned = fc.tuple(fc.ipV6(), fc.stringMatching(/^[0-9a-zA-Z.:%-]{0,6}$/)).map(([a, zone]) => `${a}%${zone}`);
const candidates = fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.domain(), fc.string(), fc.stringMatching(/^[0-9a-fA-F:.%g-]{0,45}$/), pieces, zoned);
testProp('isIP answers as node:net isIP for any text', [candidates], (t, text) => {
  t.is(isIP(text) as number, nodeIsIP(text));
}, { numRuns: 20_000, seed: 92026 });

test('isIP on the forms a cluster config holds', (t) => {
  t.deepEqual(['10.0.0.1', '::1', '::ffff:10.0.0.1', 'fe80::1%eth0', 'kubernetes.default', '', '1.2.3'].map(isIP), [4, 6, 6, 6, 0, 0, 0]);
  // The grammar's corners, each as node:net answers it.
  for (const text of ['1.2.3.4::', '::', ':::', '1::', '::1:2:3:4:5:6:7', '1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:8::', '1:2:3:4:5:6:1.2.3.4',
    'fe80::1%', 'fe80::1%%', '%eth0', ':', '1:2:3:4:5:6:7:8:9', '1::2::3', '::01.2.3.4', 'g::1', '12345::', '::1.2.3.4:5']) {
    t.is(isIP(text) as number, nodeIsIP(text), text);
  }
});
