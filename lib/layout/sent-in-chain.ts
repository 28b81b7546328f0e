/**
 * After the name of a CA that a certificate's own file sends (an intermediate), in the expiry table.
 * A module of its own so that the front ends can say it in their language without loading the checks.
 */
export const SENT_IN_THE_CHAIN = '(sent in the chain)';
