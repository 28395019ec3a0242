import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ADMIN_ROUTE, Principal, PUBLIC_ROUTE } from '../common/auth';
import { ApiKeysService } from './api-keys.service';

interface KeyedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** Every route needs a key (`x-api-key`, or `Authorization: Bearer`) unless marked @Public. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<KeyedRequest>();
    const presented = presentedKey(request.headers);
    if (!presented) throw new UnauthorizedException('Missing API key: send it in the x-api-key header');
    const principal = await this.apiKeys.authenticate(presented);
    if (!principal) throw new UnauthorizedException('Invalid or revoked API key');
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ROUTE, targets) && !principal.isAdmin) {
      throw new ForbiddenException('Only the admin key may do this');
    }
    request.principal = principal;
    return true;
  }
}

function presentedKey(headers: KeyedRequest['headers']): string | undefined {
  const header = headers['x-api-key'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey?.trim()) return apiKey.trim();
  const authorization = headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(.+)$/i.exec(authorization) : null;
  return bearer?.[1].trim() || undefined;
}
