import type { AssociateDoc, PersonDoc } from './directory.model';
import { AssociateService } from './associate.service';
import type { IdentityDeps } from './identity.deps';
import { IDENTITY_ERROR_CODES, fieldError } from './identity.errors';
import { ImportService } from './import.service';
import { PersonService } from './person.service';
import { ResolverService } from './resolver.service';
import { UnresolvedService } from './unresolved.service';

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

/** The identity use cases, independent of gRPC: one object for the transport to call. */
export class IdentityService {
  readonly resolver: ResolverService;
  readonly associates: AssociateService;
  readonly persons: PersonService;
  readonly imports: ImportService;
  readonly unresolved: UnresolvedService;

  constructor(private readonly deps: IdentityDeps) {
    this.resolver = new ResolverService(deps);
    this.associates = new AssociateService(deps, this.resolver);
    this.persons = new PersonService(deps);
    this.imports = new ImportService(this.associates, this.persons);
    this.unresolved = new UnresolvedService(deps, this.resolver);
  }

  resolve(addresses: string[]) {
    return this.resolver.resolve(addresses);
  }

  /** Pages in id order; the token is the last id of the previous page. */
  async listAssociates(pageSize: number, token: string): Promise<{ items: AssociateDoc[]; next: string }> {
    const limit = pageLimit(pageSize);
    const items = await this.deps.dir.associates.page(token, limit);
    return { items, next: items.length === limit ? items[items.length - 1]!._id : '' };
  }

  async listPersons(pageSize: number, token: string): Promise<{ items: PersonDoc[]; next: string }> {
    const limit = pageLimit(pageSize);
    const items = await this.deps.dir.persons.page(token, limit);
    return { items, next: items.length === limit ? items[items.length - 1]!._id : '' };
  }
}

export function pageLimit(requested: number, field = 'page_size'): number {
  if (requested < 0 || requested > MAX_PAGE) throw fieldError(IDENTITY_ERROR_CODES.invalidArgument, field, `must be 0-${MAX_PAGE}`);
  return requested || DEFAULT_PAGE;
}
