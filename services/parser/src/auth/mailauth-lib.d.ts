// mailauth ships types for its entry point only. These are the modules under lib/ the parser
// loads directly: two helpers of lib/tools.js, and the checks mail-checks.ts runs one by one
// (see there why), typed by the entry point's own declarations.
declare module 'mailauth/lib/tools' {
  export function parseDkimHeaders(line: string): { parsed?: Record<string, unknown> };
  /** The domain of `domainList` aligned with `fromDomain` (relaxed: same organisational domain), or false. */
  export function getAlignment(fromDomain: string, domainList: string[], strict?: boolean): { domain: string } | false;
  /** A domain as the checks compare it: A-label, lower case, no trailing root dot. */
  export function formatDomain(domain: string): string;
}
declare module 'mailauth/lib/dkim/verify' {
  export { dkimVerify } from 'mailauth';
}
declare module 'mailauth/lib/spf' {
  export { spf } from 'mailauth';
}
declare module 'mailauth/lib/arc' {
  export { arc } from 'mailauth';
}
declare module 'mailauth/lib/dmarc' {
  import type { ARCResult, DMARCResult, DNSResolver } from 'mailauth';
  /** What `authenticate` calls: the DMARC verdict plus which signing domains it found aligned. */
  export function evaluateDmarc(opts: {
    headerFrom: string | string[];
    fromFields?: unknown;
    spfDomains: string[];
    dkimDomains: { id?: string; domain: string; aligned?: unknown; underSized?: unknown }[];
    arcResult?: ARCResult;
    resolver?: DNSResolver;
    strict?: boolean;
  }): Promise<{ response: DMARCResult | false; dkimAligned?: Set<string>; reason?: string }>;
  export { dmarc } from 'mailauth';
}
