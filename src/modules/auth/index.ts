// The auth module as the application sees it.
export { AuthModule } from './auth.module.js';
