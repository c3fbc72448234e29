import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from '../../common/auth/token-claims.js';
import { Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';

/**
 * Signs short-lived access tokens (HS256) for a session: `sid` names it, `jti` the token, `exp`
 * is always set. Roles are not in the token: they are read per request, with the session.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get ttlSeconds(): number {
    return this.config.accessTokenTtlSeconds;
  }

  sign(userId: string, sessionId: string): string {
    return jwt.sign({ iat: Math.floor(this.clock.now().getTime() / 1000), sid: sessionId }, this.config.jwtSecret, {
      algorithm: 'HS256',
      subject: userId,
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      jwtid: randomUUID(),
    });
  }
}
