/** What an address is replaced with: the sentence keeps its meaning, the network stays private. */
const HOST = '[host]';

const PATTERNS: RegExp[] = [
  // Any URI (mongodb://, redis://, http://...): it may carry credentials as well as the host.
  /\b[a-z][a-z\d+.-]*:\/\/[^\s'"<>()]+/gi,
  // [::1]:27017
  /\[[\da-f:.]+\](?::\d{1,5})?/gi,
  // ::1:6379, fe80::1 — only with "::" or four colons or more, so that 12:30:45 is left alone.
  /(?<![\w:])(?:[\da-f]*::[\da-f:]*|(?:[\da-f]{1,4}:){4,}[\da-f:]*)(?![\w:])/gi,
  // 10.0.3.17 and 10.0.3.17:27017
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g,
  // localhost:6379, mongo-0.mongo:27017 (a letter in the name, so that a time is not taken for one)
  /\b(?=[\w.-]*[a-z])[a-z\d_-]+(?:\.[a-z\d_-]+)*:\d{1,5}\b/gi,
];
// A failed DNS look-up names the host without a port.
const LOOKUP = /\b(ENOTFOUND|EAI_AGAIN)\s+\S+/g;

/**
 * A driver's error message as a client may see it: hosts, ports, IPs and connection URIs
 * (with any credentials in them) say how the deployment is laid out, so they are replaced.
 */
export function clientSafeMessage(message: string): string {
  const safe = PATTERNS.reduce((s, p) => s.replace(p, HOST), message);
  return safe.replace(LOOKUP, `$1 ${HOST}`);
}
