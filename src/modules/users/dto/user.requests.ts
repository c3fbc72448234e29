import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '../../../common/auth/role.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsAcceptablePassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../common/validation/password.js';
import { trim } from '../../../common/validation/transforms.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';


export class CreateUserRequest {
  @ApiProperty({ example: 'nurse.ploy@clinic.example', maxLength: 254 })
  @Transform(trim) @IsEmail() @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Ploy S.', maxLength: 200 })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  displayName: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, format: 'password', description: 'Not blank, not only white space, not one of the 10,000 most common passwords.' })
  @IsString() @MinLength(MIN_PASSWORD_LENGTH) @MaxLength(MAX_PASSWORD_LENGTH) @IsAcceptablePassword()
  password: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['nurse'] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(ROLES.length) @ArrayUnique() @IsIn(ROLES, { each: true })
  roles: Role[];
}

export class UpdateUserRequest {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true, description: 'A change of roles ends the account’s sessions: it signs in again.' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(ROLES.length) @ArrayUnique() @IsIn(ROLES, { each: true })
  roles?: Role[];

  @ApiPropertyOptional({ description: 'false deactivates the account: its sessions end and its tokens stop working at once.' })
  @IsOptional() @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ minLength: MIN_PASSWORD_LENGTH, format: 'password', description: 'Sets a new password and ends every session of the account.' })
  @IsOptional() @IsString() @MinLength(MIN_PASSWORD_LENGTH) @MaxLength(MAX_PASSWORD_LENGTH) @IsAcceptablePassword()
  password?: string;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
