import { ValidateBy, type ValidationArguments } from 'class-validator';

/**
 * Catalogue items charged by the piece: a trip, a session, a consult, a visit, a ticket, a visa.
 * Their quantity is a whole number; 0.001 of a hospital trip or 1.5 massages would put a price
 * on an invoice that no one can explain (and a variable price was rounded silently). Personal
 * items keep decimals (goods bought by weight or volume); medication is counted by dispensing.
 */
export const COUNTABLE_ITEMS: ReadonlySet<string> = new Set(['HOSPITAL_TRANSPORT', 'SPA_MASSAGE', 'EXTRA_PSYCH_CONSULT', 'HOSPITAL_VISIT', 'FLIGHT', 'VISA_FEE']);

/** The quantity is whole when the request's itemCode is a countable item (400 naming the field). */
export function IsWholeForCountableItems(): PropertyDecorator {
  return ValidateBy({
    name: 'isWholeForCountableItem',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => !isCountable(args) || (typeof value === 'number' && Number.isInteger(value)),
      defaultMessage: (args?: ValidationArguments) => `must be a whole number for ${String((args?.object as { itemCode?: unknown }).itemCode)} (counted by the piece)`,
    },
  });
}

function isCountable(args: ValidationArguments | undefined): boolean {
  const itemCode = (args?.object as { itemCode?: unknown } | undefined)?.itemCode;
  return typeof itemCode === 'string' && COUNTABLE_ITEMS.has(itemCode);
}
