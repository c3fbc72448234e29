// The taper-orders module as other modules see it.
export { TaperOrderEntity, type TaperOrderStatus } from './taper-order.entity.js';
export { TaperOrdersModule } from './taper-orders.module.js';
export { TaperOrdersRepository, type ActiveVersion } from './taper-orders.repository.js';
export { TaperStepEntity } from './taper-step.entity.js';
