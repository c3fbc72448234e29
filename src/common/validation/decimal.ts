import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/** Digits after the decimal point, also for numbers JavaScript writes with an exponent (1e-7, 1.5e-7). */
export function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = value.toString().split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return Math.max(0, fraction.length - Number(exponent));
}

/** A finite number with at most `maxDecimalPlaces` decimals. */
export function isDecimal(value: unknown, maxDecimalPlaces: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= maxDecimalPlaces;
}

/**
 * class-validator's IsNumber({ maxDecimalPlaces }), without its crash: it reads the decimals from
 * toString(), and 1e-7 (no decimal point) threw a TypeError, a 500 for a number in a request.
 * Same constraint name and message, so error details read as before. NaN and Infinity are refused.
 */
export function IsDecimal(options: { allowNaN?: false; allowInfinity?: false; maxDecimalPlaces: number }, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumber',
      constraints: [options],
      validator: {
        validate: (value: unknown) => isDecimal(value, options.maxDecimalPlaces),
        defaultMessage: buildMessage((eachPrefix) => `${eachPrefix}$property must be a number conforming to the specified constraints`, validationOptions),
      },
    },
    validationOptions,
  );
}
