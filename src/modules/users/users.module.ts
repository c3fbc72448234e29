import { Module } from '@nestjs/common';
import { FirstAdminBootstrap } from './first-admin.bootstrap.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsService } from './sessions.service.js';
import { StaffRepository } from './staff.repository.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** Staff accounts and their sessions (refresh-token families). */
@Module({
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, SessionsService, FirstAdminBootstrap, StaffRepository],
  exports: [UsersService, PasswordHasher, SessionsService, StaffRepository],
})
export class UsersModule {}
