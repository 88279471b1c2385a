/**
 * How far into a caption the paid-partnership disclosure must end: platforms cut captions
 * behind "more" at about 125 characters, and the FTC asks for the disclosure before the cut,
 * not buried among other tags.
 */
export const DISCLOSURE_WITHIN_CHARS = 100;

/** `tag` as a whole hashtag (#ad, not #adventure nor my#ad), any case, with the spaces before it. */
function tagPattern(tag: string): RegExp {
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`[ \\t]*(?<![\\p{L}\\p{N}_#])${escaped}(?![\\p{L}\\p{N}_])`, 'giu');
}

/** Whether `caption` carries `disclosure` where every reader sees it, counting characters as platforms do (code points). */
export function disclosedUpFront(caption: string, disclosure: string): boolean {
  const match = tagPattern(disclosure).exec(caption);
  return match !== null && [...caption.slice(0, match.index + match[0].length)].length <= DISCLOSURE_WITHIN_CHARS;
}

/**
 * The caption with `disclosure` within its first DISCLOSURE_WITHIN_CHARS characters: as it
 * is when the writer put it there, else with it at the front, taken out of wherever it was
 * buried (never twice).
 */
export function placeDisclosure(caption: string, disclosure: string): string {
  if (disclosedUpFront(caption, disclosure)) return caption;
  const rest = caption.replace(tagPattern(disclosure), '').trim();
  return rest ? `${disclosure} ${rest}` : disclosure;
}
