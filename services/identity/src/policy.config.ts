import { readFileSync } from 'node:fs';
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { PolicySet, policyProblems } from './domain/address.policy';

/**
 * ADDRESS_POLICIES (inline JSON) and ADDRESS_POLICIES_FILE (a path to the same JSON), e.g.
 *   {"contoso.com": {"subaddress": "+"}, "contoso.onmicrosoft.com": {"aliasOf": "contoso.com"}}
 * Domains are written in Unicode or punycode; both become the ASCII form the directory uses.
 */
const domainPolicy = z.strictObject({
  subaddress: z.string().max(4).optional(),
  dotInsensitive: z.boolean().optional(),
  aliasOf: z.string().min(3).optional(),
});

const policySet = z
  .record(z.string().min(1), domainPolicy)
  .transform((raw, ctx) => {
    const out: Record<string, z.infer<typeof domainPolicy>> = {};
    for (const [domain, policy] of Object.entries(raw)) {
      const key = domain === '*' ? '*' : asciiDomain(domain);
      const aliasOf = policy.aliasOf === undefined ? undefined : asciiDomain(policy.aliasOf);
      if (key === undefined || (policy.aliasOf !== undefined && aliasOf === undefined)) {
        ctx.addIssue({ code: 'custom', message: `"${domain}" (or its aliasOf) is not a domain` });
        return z.NEVER;
      }
      out[key] = aliasOf === undefined ? policy : { ...policy, aliasOf };
    }
    return out as PolicySet;
  })
  .superRefine((set, ctx) => {
    for (const message of policyProblems(set)) ctx.addIssue({ code: 'custom', message });
  });

/** ADDRESS_POLICIES: the JSON text itself. */
export const inlinePolicies = z
  .string()
  .transform((text, ctx) => parseJson(text, ctx))
  .pipe(policySet);

/** ADDRESS_POLICIES_FILE: read once at boot; a missing or bad file stops the process. */
export const policyFile = z
  .string()
  .transform((path, ctx) => {
    try {
      return parseJson(readFileSync(path, 'utf8'), ctx);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `cannot read ${path}: ${(err as Error).message}` });
      return z.NEVER;
    }
  })
  .pipe(policySet);

function parseJson(text: string, ctx: z.RefinementCtx): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not JSON: ${(err as Error).message}` });
    return z.NEVER;
  }
}

function asciiDomain(domain: string): string | undefined {
  const ascii = domainToASCII(domain.trim().toLowerCase().replace(/\.$/, ''));
  return ascii && ascii.includes('.') ? ascii : undefined;
}
