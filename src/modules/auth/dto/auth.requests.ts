import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginRequest {
  @ApiProperty({ example: 'admin@clinic.example' })
  @IsString() @MinLength(1) @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString() @MinLength(1) @MaxLength(200)
  password: string;
}

export class RefreshTokenRequest {
  @ApiProperty({ description: 'The refreshToken of the last login or refresh.' })
  @IsString() @MinLength(1) @MaxLength(200)
  refreshToken: string;
}
