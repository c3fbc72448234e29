import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { IsEmailAddress } from '../../../common/validation/email.js';
import { IsOptional } from '../../../common/validation/optional.js';
import { ROLES, type Role } from '../../../common/auth/role.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsNewPassword, NEW_PASSWORD_SCHEMA } from '../../../common/validation/password.js';
import { trim } from '../../../common/validation/transforms.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

export class CreateUserRequest {
  @ApiProperty({ example: 'nurse.ploy@clinic.example', maxLength: 254 })
  @IsEmailAddress()
  email: string;

  @ApiProperty({ example: 'Ploy S.', maxLength: 200 })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  displayName: string;

  @ApiProperty(NEW_PASSWORD_SCHEMA)
  @IsNewPassword({ emailField: 'email' })
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

  @ApiPropertyOptional({ ...NEW_PASSWORD_SCHEMA, description: `${NEW_PASSWORD_SCHEMA.description} Sets a new password and ends every session of the account.` })
  @IsOptional() @IsNewPassword()
  password?: string;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}
