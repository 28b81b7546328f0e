// `--html FILE`, shared by `scenario NAME` and `check DIR`: the flag's value checked before anything
// runs, and the page written after. The picture's modules (and elkjs) load only when it is asked for.
import type { Lang } from '../verdict/explain.js';
import type { EdgeResult } from '../verdict/result.js';
import type { PictureOptions } from '../picture/page.js';
import { clip, usageError } from './contract.js';

/** The value of `--html`: a file name (a trailing slash names a folder, refused before the run). */
export function htmlFile(value: string | undefined, usage: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || /[/\\]$/.test(value)) throw usageError(`\`--html\`: "${clip(value)}" is not a file name`, usage);
  return value;
}

/** Renders the picture of `results` and writes it to `file`; returns the path written. */
export async function writeHtml(file: string, results: readonly EdgeResult[], options: PictureOptions & { lang: Lang }): Promise<string> {
  const [{ renderPicture }, { writePicture }] = await Promise.all([import('../picture/page.js'), import('../picture/write.js')]);
  return writePicture(file, await renderPicture(results, options));
}
