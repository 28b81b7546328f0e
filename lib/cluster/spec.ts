import { applyFlagOverrides } from '../components/flags.js';
import { controlPlaneSpec, type ControlPlaneSpec } from '../component-base/presets.js';
import type { Pki } from '../layout/generate.js';
import type { ClusterOptions } from './options.js';

/** The preset's component specs with the caller's flag and kubeconfig changes applied (an unknown flag is refused here). */
export function clusterSpec(pki: Pki, options: ClusterOptions): ControlPlaneSpec {
  return withOverrides(controlPlaneSpec(pki.preset, pki.config, options.components), options);
}

/** A spec (a preset's, or a node's as read) with the caller's flag and kubeconfig changes applied. */
export function withOverrides(base: ControlPlaneSpec, options: ClusterOptions): ControlPlaneSpec {
  return {
    ...base,
    'kube-apiserver': applyFlagOverrides('kube-apiserver', base['kube-apiserver'], options.apiserver),
    'kube-controller-manager': applyFlagOverrides('kube-controller-manager', base['kube-controller-manager'], options.controllerManager),
    etcd: applyFlagOverrides('etcd', base.etcd, options.etcd),
    clients: { ...base.clients, ...options.clients },
  };
}
