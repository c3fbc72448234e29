import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { isUuid } from '../http/uuid-param.pipe.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from './token-claims.js';

const LOAD_ACTIVE_USER = 'SELECT id, email, display_name, roles FROM users WHERE id = $1 AND active';

/**
 * Verifies the access token, then loads the staff member on every request so that a
 * deactivation or a change of roles takes effect on the very next request.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not a string: jsonwebtoken tries a string as a public key first, which is slow.
      secretOrKey: config.jwtSecret as unknown as string,
      algorithms: ['HS256'],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(payload: { sub?: unknown }): Promise<AuthenticatedUser | false> {
    if (typeof payload.sub !== 'string' || !isUuid(payload.sub)) return false;
    const rows: { id: string; email: string; display_name: string; roles: AuthenticatedUser['roles'] }[] =
      await this.dataSource.query(LOAD_ACTIVE_USER, [payload.sub]);
    const row = rows[0];
    return row ? { id: row.id, email: row.email, displayName: row.display_name, roles: row.roles } : false;
  }
}
