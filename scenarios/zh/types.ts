/** A scenario's title and description in one language. */
export interface ScenarioText { readonly title: string; readonly description: string }
/** One catalogue file's scenarios in Simplified Chinese, keyed by scenario name. */
export type ZhTexts = Readonly<Record<string, ScenarioText>>;
