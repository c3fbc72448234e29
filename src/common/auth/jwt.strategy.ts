import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import { isUuid } from '../http/uuid-param.pipe.js';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from './token-claims.js';

/**
 * The staff member and their session, in one statement of two primary-key lookups: an ended
 * session (logout, refresh-token reuse, deactivation, a change of roles or password) refuses the
 * token on the very next request, on every instance, with nothing cached beyond the request.
 */
export const LOAD_SESSION_USER =
  'SELECT u.id, u.email, u.display_name, u.roles FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1 AND s.user_id = $2 AND s.ended_at IS NULL AND u.active';

interface AccessClaims {
  sub?: unknown;
  sid?: unknown;
  jti?: unknown;
  exp?: unknown;
  iat?: unknown;
}

/**
 * Verifies the access token, then loads the staff member on every request so that a
 * deactivation, a change of roles or the end of the session takes effect at once. A token must
 * carry its subject, session, id and expiry: one without `exp` never expires, and is refused.
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

  async validate(payload: AccessClaims): Promise<AuthenticatedUser | false> {
    if (!isUuid(payload.sub) || !isUuid(payload.sid) || !isUuid(payload.jti)) return false;
    if (typeof payload.exp !== 'number' || typeof payload.iat !== 'number') return false;
    const rows: { id: string; email: string; display_name: string; roles: AuthenticatedUser['roles'] }[] =
      await this.dataSource.query(LOAD_SESSION_USER, [payload.sid, payload.sub]);
    const row = rows[0];
    return row ? { id: row.id, email: row.email, displayName: row.display_name, roles: row.roles, sessionId: payload.sid } : false;
  }
}
