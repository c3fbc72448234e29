import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/access.decorators.js';
import { Ctx, type RequestContext } from '../../common/auth/request-context.js';
import { UuidParamPipe } from '../../common/http/uuid-param.pipe.js';
import { CreateUserRequest, ListUsersQuery, UpdateUserRequest } from './dto/user.requests.js';
import { UserPage, UserResponse } from './dto/user.responses.js';
import { UsersService } from './users.service.js';

@ApiTags('Staff accounts')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a staff account' })
  @ApiCreatedResponse({ type: UserResponse })
  create(@Body() body: CreateUserRequest, @Ctx() context: RequestContext): Promise<UserResponse> {
    return this.users.create(body, context);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'List staff accounts by email' })
  @ApiOkResponse({ type: UserPage })
  list(@Query() query: ListUsersQuery, @Ctx() context: RequestContext): Promise<UserPage> {
    return this.users.list(query, context);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Read a staff account' })
  @ApiOkResponse({ type: UserResponse })
  get(@Param('id', UuidParamPipe) id: string, @Ctx() context: RequestContext): Promise<UserResponse> {
    return this.users.get(id, context);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change name, roles, active flag or password; takes effect on the next request' })
  @ApiOkResponse({ type: UserResponse })
  update(@Param('id', UuidParamPipe) id: string, @Body() body: UpdateUserRequest, @Ctx() context: RequestContext): Promise<UserResponse> {
    return this.users.update(id, body, context);
  }
}
