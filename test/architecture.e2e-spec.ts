import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

/**
 * The import boundaries are kept by the linter (eslint.config.js), not by memory: each deliberate
 * violation below is refused, and each allowed import passes. `npm run lint` runs the same rules
 * over the whole code in CI.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['clinical/ imports common/', 'src/clinical/example.ts', "import { NotFound } from '../common/errors/common.errors.js';\nexport const x = NotFound;"],
    ['clinical/ imports a package', 'src/clinical/example.ts', "import { DataSource } from 'typeorm';\nexport const x = DataSource;"],
    ['clinical/ imports node built-ins', 'src/clinical/example.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['common/ imports a module', 'src/common/example.ts', "import { AdmissionsRepository } from '../modules/admissions/index.js';\nexport const x = AdmissionsRepository;"],
    ['config/ imports common/', 'src/config/example.ts', "import { NotFound } from '../common/errors/common.errors.js';\nexport const x = NotFound;"],
    ['database/ imports the entity list', 'src/database/example.ts', "import { ENTITIES } from '../entities.js';\nexport const x = ENTITIES;"],
    ['a module imports another module past its public file', 'src/modules/billing/example.ts', "import { AdmissionsRepository } from '../admissions/admissions.repository.js';\nexport const x = AdmissionsRepository;"],
    ['a module imports the application', 'src/modules/billing/example.ts', "import { AppModule } from '../../app.module.js';\nexport const x = AppModule;"],
  ])('refuses: %s', async (_name, filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toHaveLength(1);
  });

  it.each([
    ['clinical/ imports clinical/', 'src/clinical/example.ts', "import { addDays } from './calendar-dates.js';\nexport const x = addDays;"],
    ['common/ imports clinical/', 'src/common/example.ts', "import { CLINICAL_REFUSALS } from '../clinical/clinical-refusals.js';\nexport const x = CLINICAL_REFUSALS;"],
    ['a module imports another through its public file', 'src/modules/billing/example.ts', "import { AdmissionsRepository } from '../admissions/index.js';\nexport const x = AdmissionsRepository;"],
    ['a module imports its own files', 'src/modules/billing/dto/example.ts', "import { CatalogueRepository } from '../catalogue.repository.js';\nexport const x = CatalogueRepository;"],
    ['a command-line entry point imports the application', 'src/cli/example.ts', "import { AppModule } from '../app.module.js';\nexport const x = AppModule;"],
    ['a spec imports the shared test data', 'src/clinical/example.spec.ts', "import { API_EXAMPLE_ORDER } from '../../test/support/taper-example.js';\nexport const x = API_EXAMPLE_ORDER;"],
  ])('allows: %s', async (_name, filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  });
});
