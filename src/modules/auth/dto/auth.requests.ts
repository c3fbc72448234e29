import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsAcceptablePassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../common/validation/password.js';

export class LoginRequest {
  @ApiProperty({ example: 'admin@clinic.example' })
  @IsString() @MinLength(1) @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString() @MinLength(1) @MaxLength(200)
  password: string;

  @ApiPropertyOptional({ description: 'The deviceToken of an earlier sign-in on this device: lets it sign in while others are throttled.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  deviceToken?: string;
}

export class ChangePasswordRequest {
  @ApiProperty({ format: 'password' })
  @IsString() @MinLength(1) @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword: string;

  @ApiProperty({ format: 'password', minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, description: 'Not blank, not only white space, not one of the 10,000 most common passwords.' })
  @IsString() @MinLength(MIN_PASSWORD_LENGTH) @MaxLength(MAX_PASSWORD_LENGTH) @IsAcceptablePassword()
  newPassword: string;
}

export class RefreshTokenRequest {
  @ApiProperty({ description: 'The refreshToken of the last login or refresh.' })
  @IsString() @MinLength(1) @MaxLength(200)
  refreshToken: string;
}
