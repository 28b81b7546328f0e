import { SCENARIOS } from '../../scenarios/index.js';
import { renderPkiDoc } from './pki-doc.js';
import { renderReasonsDoc } from './reasons-doc.js';
import { renderScenariosDoc } from './scenarios-doc.js';

/** Every generated document: path relative to the repository root → contents. */
export function generatedDocs(): Record<string, string> {
  return {
    'docs/pki.md': renderPkiDoc(),
    'docs/reasons.md': renderReasonsDoc(),
    'docs/scenarios.md': renderScenariosDoc(SCENARIOS),
  };
}
