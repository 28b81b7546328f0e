import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectLayout, type InspectReport } from '../layout/inspect.js';
import { writeLayout } from '../layout/layout.js';
import type { StartedCluster } from './cluster.js';

/**
 * `kubeadm certs check-expiration` for a running cluster at its current (virtual) time: the node's
 * files as they are now — after rotations and bootstraps — written to a scratch folder, inspected,
 * and removed.
 */
export function inspectCluster(cluster: Pick<StartedCluster, 'fs' | 'clock'>): InspectReport {
  const dir = mkdtempSync(join(tmpdir(), 'kms-inspect-'));
  try {
    writeLayout(cluster.fs.snapshot(), dir);
    return { ...inspectLayout(dir, cluster.clock), root: '(the running cluster)' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
