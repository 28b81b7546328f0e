import { AGGREGATION_EN, AGGREGATION_ZH, type AggregationPhrases } from './phrases-aggregation.js';
import { MORE_PHRASES, type MorePhrases } from './phrases-more.js';

/** The sentences kept beside phrases.ts (the aggregation layer's, and Go's later refusals), per language. */
export type ExtraPhrases = AggregationPhrases & MorePhrases;
export const EXTRA_PHRASES = { en: { ...AGGREGATION_EN, ...MORE_PHRASES.en }, zh: { ...AGGREGATION_ZH, ...MORE_PHRASES.zh } } as const;
