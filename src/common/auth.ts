// Who is calling, as established by the API key guard, and the decorators routes use to ask.
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export interface Principal {
  keyId: string | null;
  isAdmin: boolean;
  /** The tenant a tenant key belongs to; null for the admin key. */
  tenantId: string | null;
}

/** The tenant a query is limited to: undefined means every tenant (admin). */
export type TenantScope = string | undefined;

export const scopeOf = (principal: Principal): TenantScope => (principal.isAdmin ? undefined : principal.tenantId!);

export const PUBLIC_ROUTE = 'omni:public';
export const ADMIN_ROUTE = 'omni:admin';

/** No API key needed (health, webhooks: they authenticate otherwise). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** Only the admin key may call this route. */
export const AdminOnly = () => SetMetadata(ADMIN_ROUTE, true);

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
