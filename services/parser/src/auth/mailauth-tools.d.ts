// mailauth ships types for its entry point only; these are the two helpers of lib/tools.js we use.
declare module 'mailauth/lib/tools' {
  export function parseDkimHeaders(line: string): { parsed?: Record<string, unknown> };
  /** The domain of `domainList` aligned with `fromDomain` (relaxed: same organisational domain), or false. */
  export function getAlignment(fromDomain: string, domainList: string[], strict?: boolean): { domain: string } | false;
}
