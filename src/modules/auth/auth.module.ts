import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccessGuard } from '../../common/auth/access.guard.js';
import { JwtStrategy } from '../../common/auth/jwt.strategy.js';
import { UsersModule } from '../users/index.js';
import { AccessTokens } from './access-tokens.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LoginDevices } from './login-devices.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordChangeService } from './password-change.service.js';

/** Sign-in, sessions, and the global guard every route passes through. */
@Module({
  imports: [PassportModule.register({ session: false }), UsersModule],
  controllers: [AuthController],
  providers: [AuthService, PasswordChangeService, AccessTokens, LoginThrottle, LoginDevices, JwtStrategy, { provide: APP_GUARD, useClass: AccessGuard }],
})
export class AuthModule {}
