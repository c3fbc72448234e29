import { DEFAULT_TAPER_RULES, type TaperRules } from '../../clinical/taper.js';
import type { AppConfig } from '../../config/app-config.js';

/** domain.md §7 defaults, with the weekly limit the clinic configured. */
export function taperRulesOf(config: Pick<AppConfig, 'taperMaxWeeklyReductionPercent'>): TaperRules {
  return { ...DEFAULT_TAPER_RULES, maxWeeklyReductionPercent: config.taperMaxWeeklyReductionPercent };
}
