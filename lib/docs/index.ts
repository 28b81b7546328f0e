import { renderPkiDoc } from './pki-doc.js';
import { renderReasonsDoc } from './reasons-doc.js';

/** Every generated document: path relative to the repository root → contents. */
export function generatedDocs(): Record<string, string> {
  return {
    'docs/pki.md': renderPkiDoc(),
    'docs/reasons.md': renderReasonsDoc(),
  };
}
