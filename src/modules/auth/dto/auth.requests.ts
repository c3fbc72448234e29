import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { IsNewPassword, IsPresentedPassword, MAX_PASSWORD_LENGTH, NEW_PASSWORD_SCHEMA } from '../../../common/validation/password.js';

export class LoginRequest {
  @ApiProperty({ example: 'admin@clinic.example' })
  @IsString() @MinLength(1) @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password', maxLength: MAX_PASSWORD_LENGTH })
  @IsPresentedPassword()
  password: string;

  @ApiPropertyOptional({ description: 'The deviceToken of an earlier sign-in on this device: lets it sign in while others are throttled.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  deviceToken?: string;
}

export class ChangePasswordRequest {
  @ApiProperty({ format: 'password', maxLength: MAX_PASSWORD_LENGTH })
  @IsPresentedPassword()
  currentPassword: string;

  @ApiProperty(NEW_PASSWORD_SCHEMA)
  @IsNewPassword()
  newPassword: string;
}

export class RefreshTokenRequest {
  @ApiProperty({ description: 'The refreshToken of the last login or refresh.' })
  @IsString() @MinLength(1) @MaxLength(200)
  refreshToken: string;
}
