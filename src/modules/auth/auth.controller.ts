import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyStaff, Public } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext, type SignedInContext } from '../../common/auth/request-context.js';
import { ApiJsonBody } from '../../common/http/api-content.js';
import { LOGIN_EXAMPLES } from './dto/auth.examples.js';
import { AuthService } from './auth.service.js';
import { PasswordChangeService } from './password-change.service.js';
import { ChangePasswordRequest, LoginRequest, RefreshTokenRequest } from './dto/auth.requests.js';
import { SessionUserResponse, TokenPairResponse, toSessionUser } from './dto/auth.responses.js';


@ApiTags('Auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordChangeService,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Sign in with email and password (and the deviceToken of an earlier sign-in on this device)' })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiJsonBody(LoginRequest, LOGIN_EXAMPLES)
  login(@Body() body: LoginRequest, @Ctx() context: RequestContext): Promise<TokenPairResponse> {
    return this.auth.login(body, context);
  }

  @Post('refresh')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Exchange a refresh token (once) for a new pair' })
  @ApiOkResponse({ type: TokenPairResponse })
  refresh(@Body() body: RefreshTokenRequest, @Ctx() context: RequestContext): Promise<TokenPairResponse> {
    return this.auth.refresh(body.refreshToken, context);
  }

  @Post('logout')
  @HttpCode(204)
  @AnyStaff()
  @ApiOperation({ summary: 'End the session the refresh token belongs to' })
  @ApiNoContentResponse()
  logout(@Body() body: RefreshTokenRequest, @Ctx() context: SignedInContext): Promise<void> {
    return this.auth.logout(body.refreshToken, context);
  }

  @Post('password')
  @HttpCode(204)
  @AnyStaff()
  @ApiOperation({ summary: 'Change your own password; your other sessions end at once' })
  @ApiNoContentResponse()
  changePassword(@Body() body: ChangePasswordRequest, @Ctx() context: SignedInContext): Promise<void> {
    return this.passwords.change(body, context);
  }

  @Get('me')
  @AnyStaff()
  @ApiOperation({ summary: 'The signed-in staff member' })
  @ApiOkResponse({ type: SessionUserResponse })
  me(@Ctx() context: SignedInContext): SessionUserResponse {
    return toSessionUser(context.actor);
  }
}
