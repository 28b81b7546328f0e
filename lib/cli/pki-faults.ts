// `pki write --fault RECORD=KIND[:ARG]` and `--flag COMPONENT:--name=value`: read and checked before
// anything is generated, so a bad one is a usage error (exit 2) naming the flag and the value.
import { KubeMtlsSimError, isKubeMtlsSimError } from '../errors.js';
import type { FlagOverrides } from '../component-base/flags.js';
import { KNOWN_FLAGS, type FlagComponent } from '../components/flags.js';
import { checkSigningCycles, normalizeFaults, type Fault, type FaultMap } from '../pki/faults.js';
import { FAULT_SYNTAX, parseFaultFlag } from '../pki/fault-syntax.js';
import type { Preset } from '../pki/types.js';
import { asFlagError, clip } from './contract.js';

/** What `--fault` and `--flag` mean, for `pki write --help` and the README. */
export const FAULT_HELP = `  --fault RECORD=KIND[:ARG]   write certificate RECORD (an id of the preset: apiserver, ca, admin, etcd-server, …)
                              with a deliberate mistake; repeatable, several on one record apply in order:
${Object.values(FAULT_SYNTAX).map((line) => `      ${line}`).join('\n')}
  --flag COMPONENT:--name=value   set a flag in the component's manifest or unit (kube-apiserver, etcd,
                              kube-controller-manager); an empty value removes it: --flag etcd:--trusted-ca-file=`;

const COMPONENTS: Record<string, { key: 'apiserver' | 'etcd' | 'controllerManager'; component: FlagComponent }> = {
  'kube-apiserver': { key: 'apiserver', component: 'kube-apiserver' },
  etcd: { key: 'etcd', component: 'etcd' },
  'kube-controller-manager': { key: 'controllerManager', component: 'kube-controller-manager' },
};

const flagError = (flag: string, value: string, why: string, code: 'ERR_FAULT_INVALID' | 'ERR_COMPONENT_FLAG' = 'ERR_FAULT_INVALID') =>
  asFlagError(new KubeMtlsSimError(code, `\`${flag}\`: "${clip(value)}": ${why}`, { field: flag }));

/** The `--fault` values as the library's FaultMap, checked against the preset's records (and for signing cycles). */
export function faultsFrom(values: readonly string[], preset: Preset): FaultMap {
  const faults: Record<string, Fault[]> = {};
  // The library names `faults.RECORD`; the command line names the --fault value that set it.
  const refused = (error: unknown, value: string) => {
    if (!isKubeMtlsSimError(error)) return error;
    if (error.field === '--fault') return asFlagError(new KubeMtlsSimError(error.code, error.message.split(value).join(clip(value)), { field: '--fault', cause: error }));
    return flagError('--fault', value, error.message.replace(/^`faults\.[^`]*`: /, ''));
  };
  for (const value of values) {
    try {
      const { record, fault } = parseFaultFlag(value);
      normalizeFaults({ [record]: fault }, preset.certs);
      (faults[record] ??= []).push(fault);
    } catch (error) {
      throw refused(error, value);
    }
  }
  try {
    checkSigningCycles(preset.certs, normalizeFaults(faults, preset.certs));
  } catch (error) {
    throw refused(error, values.find((v) => v.startsWith(`${error instanceof KubeMtlsSimError ? error.field?.replace(/^faults\./, '') : ''}=`)) ?? '');
  }
  return faults;
}

/** The `--flag` values as flag overrides per component; an unknown component or flag is refused by name. */
export function flagsFrom(values: readonly string[]): Partial<Record<'apiserver' | 'etcd' | 'controllerManager', FlagOverrides>> {
  const out: Partial<Record<'apiserver' | 'etcd' | 'controllerManager', Record<string, string | null>>> = {};
  for (const value of values) {
    const m = /^([^:]+):(--[^=]+)=(.*)$/s.exec(value);
    if (!m) throw flagError('--flag', value, 'expected COMPONENT:--name=value, e.g. etcd:--client-cert-auth=false (an empty value removes the flag)', 'ERR_COMPONENT_FLAG');
    const [, name, flag, setting] = m as unknown as [string, string, string, string];
    const target = COMPONENTS[name];
    if (!target) throw flagError('--flag', value, `unknown component "${clip(name)}" (components: ${Object.keys(COMPONENTS).join(', ')})`, 'ERR_COMPONENT_FLAG');
    if (!KNOWN_FLAGS[target.component].includes(flag)) {
      throw flagError('--flag', value, `${name} has no flag ${clip(flag)} that the simulator models (known: ${KNOWN_FLAGS[target.component].join(', ')})`, 'ERR_COMPONENT_FLAG');
    }
    (out[target.key] ??= {})[flag] = setting === '' ? null : setting;
  }
  return out;
}
