// The users module as other modules see it.
export { RefreshTokenEntity } from './refresh-token.entity.js';
export { PasswordHasher } from './password-hasher.js';
export { SessionsService } from './sessions.service.js';
export { StaffRepository } from './staff.repository.js';
export { UserEntity } from './user.entity.js';
export { UsersModule } from './users.module.js';
export { UsersService, normalizeEmail } from './users.service.js';
export { VoidColumns } from './void-columns.js';
