import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../../../common/auth/authenticated-user.js';
import { ROLES, type Role } from '../../../common/auth/role.js';

export class SessionUserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
}

export class TokenPairResponse {
  @ApiProperty({ description: 'Bearer token for the Authorization header.' }) accessToken: string;
  @ApiProperty({ description: 'Works once; exchange it at /auth/refresh for a new pair.' }) refreshToken: string;
  @ApiProperty({ description: 'Seconds until the access token expires.', example: 900 }) expiresIn: number;
  @ApiProperty({ type: SessionUserResponse }) user: SessionUserResponse;
  @ApiPropertyOptional({ description: 'Login only: keep it on this device and send it with later logins; it lets this device sign in while others are throttled.' })
  deviceToken?: string;
}

export function toSessionUser(user: AuthenticatedUser): SessionUserResponse {
  return { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles };
}
