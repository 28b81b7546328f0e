import type { Reason, Verdict } from '../verdict/reasons.js';
import { tiedAtHead, type Cause, type Diagnosis } from './match.js';

/** One edge of a node as `check` saw it: enough to confirm or rule out a cause. */
export interface NodeEdge {
  edge: string;
  verdict: Verdict;
  reason: Reason;
  /** The file or flag `check` names for it ('' when none). */
  responsible: string;
  /** The first line a real component would print for it, if any. */
  says?: string;
}

/** What `check DIR` found, as `diagnose --dir` uses it. */
export interface NodeEvidence {
  dir: string;
  at: string;
  edges: NodeEdge[];
  /** Components that could not start, with their error: a cause of its own. */
  notStarted: { component: string; code: string; message: string }[];
}

export interface NarrowedCause extends Cause {
  /** The node's edges that fail for this very reason: the cause is confirmed there. Empty when the node does not show it. */
  onNode: NodeEdge[];
}

export interface NarrowedDiagnosis extends Omit<Diagnosis, 'causes'> {
  causes: NarrowedCause[];
  node: NodeEvidence & {
    /** Edges that fail on the node for a reason none of the matched causes has: a second problem, or the real one. */
    otherFailures: NodeEdge[];
  };
}

/** An edge that prints an error: an insecure edge works (it only should not), so it prints none. */
export const failing = (e: NodeEdge) => e.verdict === 'rejected' || e.verdict === 'config-error';

/**
 * Narrows a diagnosis with the node's own files: causes that `check` confirms on some edge come
 * first (in their earlier order), the others keep their place after them, marked as not seen.
 * Nothing is dropped — a copy of the files may not be the node that printed the line — but the
 * ranking says what the files show.
 */
export function narrow(d: Diagnosis, evidence: NodeEvidence): NarrowedDiagnosis {
  const bad = evidence.edges.filter(failing);
  const causes = d.causes.map((c) => ({ ...c, onNode: bad.filter((e) => e.reason === c.reason) }));
  const confirmed = causes.filter((c) => c.onNode.length > 0);
  const unconfirmed = causes.filter((c) => c.onNode.length === 0);
  const explained = new Set(causes.map((c) => c.reason));
  return {
    ...d,
    causes: [...confirmed, ...unconfirmed],
    // The files break a tie when they confirm some of the tied causes and not the others.
    tiedFirst: confirmed.length > 0 ? tiedAtHead(confirmed) : d.tiedFirst,
    node: { ...evidence, otherFailures: bad.filter((e) => !explained.has(e.reason)) },
  };
}
