/**
 * Opioid-induced hyperalgesia at intake (domain.md §5). These answers can only raise a
 * suspicion: the tell — pain improving as the dose comes down — is seen during the taper.
 */
import type { ClinicalWarning } from './clinical-error.js';

/** The signs domain.md §5 lists; the last two are optional questions of the intake (absent: not seen). */
export interface IntakePainAnswers {
  spreadBeyondOriginalSite: boolean;
  worseBetweenDoses: boolean;
  diffuse?: boolean;
  worseAfterDoseIncrease?: boolean;
}

export interface HyperalgesiaScreen {
  suspected: boolean;
  signs: ClinicalWarning[];
}

const NOT_A_DIAGNOSIS =
  'a possible sign of opioid-induced hyperalgesia to look into, not a diagnosis; watch whether pain eases as the dose comes down.';

export function screenHyperalgesia(pain: IntakePainAnswers): HyperalgesiaScreen {
  const signs: ClinicalWarning[] = [];
  if (pain.spreadBeyondOriginalSite === true) {
    signs.push({ code: 'OIH_PAIN_SPREAD', message: `Pain has spread beyond the original site: ${NOT_A_DIAGNOSIS}` });
  }
  if (pain.worseBetweenDoses === true) {
    signs.push({
      code: 'OIH_WORSE_BETWEEN_DOSES',
      // End-of-dose withdrawal gives the same picture, hence "possible".
      message: `Pain gets worse between doses (also seen with end-of-dose withdrawal): ${NOT_A_DIAGNOSIS}`,
    });
  }
  if (pain.diffuse === true) {
    signs.push({ code: 'OIH_DIFFUSE_PAIN', message: `Pain is diffuse, not confined to the injured area: ${NOT_A_DIAGNOSIS}` });
  }
  if (pain.worseAfterDoseIncrease === true) {
    // Tolerance (the dose no longer enough) is the other reading; OIH is suspected when more opioid brings more pain.
    signs.push({ code: 'OIH_WORSE_AFTER_DOSE_INCREASE', message: `Pain got worse after the opioid dose was increased: ${NOT_A_DIAGNOSIS}` });
  }
  return { suspected: signs.length > 0, signs };
}
