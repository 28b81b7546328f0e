import { KubeMtlsSimError } from '../../errors.js';
import { PRESET_NAMES, type Preset, type PresetName } from '../types.js';
import { kubeadmPreset } from './kubeadm.js';
import { referencePreset } from './reference.js';

export const PRESETS: Readonly<Record<PresetName, Preset>> = { kubeadm: kubeadmPreset, reference: referencePreset };

export function getPreset(name: string): Preset {
  if ((PRESET_NAMES as readonly string[]).includes(name)) return PRESETS[name as PresetName];
  throw new KubeMtlsSimError('ERR_PRESET_UNKNOWN', `unknown preset "${name}" (\`preset\` must be one of: ${PRESET_NAMES.join(', ')})`, {
    field: 'preset',
  });
}
