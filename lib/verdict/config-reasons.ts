import type { ErrorCode } from '../errors.js';
import type { ReasonOf } from './reasons.js';

/** The reason a configuration error gives an edge; every other error code is a file that cannot be parsed (BAD_FILE). */
export const CONFIG_REASONS: Partial<Record<ErrorCode, ReasonOf<'config-error'>>> = {
  ERR_PEM_SWITCHED: 'PEM_SWITCHED', ERR_KEY_MISMATCH: 'KEY_MISMATCH', ERR_FILE_NOT_FOUND: 'FILE_MISSING', ERR_KEY_UNUSABLE: 'CLIENT_KEY_UNUSABLE',
  ERR_COMPONENT_FLAG: 'BAD_FLAG', ERR_KUBECONFIG_PROMPT: 'CREDENTIALS_PROMPT',
};
