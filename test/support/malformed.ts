import fc from 'fast-check';

/**
 * Generators of malformed request bodies for the fuzz test: hostile values, bodies of the wrong
 * shape, broken JSON, and valid bodies with a field replaced, removed or added.
 */
export type Json = Record<string, unknown>;

/** A request body as bytes on the wire, with its content type, and a short label of how it was made. */
export interface MalformedBody {
  kind: string;
  contentType: string;
  payload: string | Buffer;
}

// JSON.stringify cannot write some tokens (1e400, 30-digit integers, 20,000-deep nesting); they
// travel as marked strings and are spliced into the text after stringify.
const RAW_START = '\u0001RAW:';
const RAW_END = '\u0002';
const raw = (text: string) => `${RAW_START}${text}${RAW_END}`;
const RAW_TOKEN = /"\\u0001RAW:(.*?)\\u0002"/g;

/** JSON text of a value, raw tokens spliced in. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  return text.replace(RAW_TOKEN, (_match, token: string) => JSON.parse(`"${token}"`) as string);
}

export const IMPOSSIBLE_DATES = [
  '2027-02-30', '2027-02-29', '2100-02-29', '0000-00-00', '+275760-09-13', '-271821-04-20', '2027-13-01', '2027-00-10',
  '2027-1-5', '27-01-05', '2027-01-05T00:00:00Z', '2027-01-05 ', ' 2027-01-05', '9999-12-31', '1899-12-31', '0001-01-01',
  '2027-W01-1', '2027-001', '2027-01-05T25:00:00Z', '2027-01-05T10:00:00+25:00', '1969-12-31T23:59:59Z', '2027-01-05T10:00:00',
  '2027-01-05T10:00:00.1234567891Z', '275760-09-13T00:00:00.000Z', 'yesterday', '٢٠٢٧-٠١-٠٥', '2027/01/05', '05.01.2027',
];

export const INJECTIONS = [
  "'; DROP TABLE users;--", "' OR '1'='1", '" OR ""="', "1); DELETE FROM audit_events; --", "'; SELECT pg_sleep(5);--", '\\', "\\'",
  '{"$gt":""}', '{"$where":"sleep(100)"}', '{"__proto__":{"admin":true}}', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '${7*7}', '{{7*7}}', '<script>alert(1)</script>', '../../../../etc/passwd', '%00', '%s%s%s%n', 'null', 'undefined', 'NULL', 'true',
  '$1', '?', ':id', 'E\'\\x00\'', '\u0000', 'a\u0000b', '\u0000'.repeat(10),
];

export const UNICODE = [
  '', ' ', '   ', '\t\r\n', '\u00a0', '\u200b', '\ufeff', '\u2028\u2029', '😀', '👨‍👩‍👧‍👦', '🏳️‍🌈', '\u202eevil\u202c', 'مرحبا بالعالم', 'שלום',
  'ภาษาไทย', 'e\u0301\u0301\u0301\u0301', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', '\ud800', '\udfff', 'a\ud83d', '\udc00\ud800', 'ＡＢＣ１２３', 'İıß', '١٢٣', '\u0007\u001b[31m', 'Ω≈ç√∫',
];

export const NUMBERS = [
  -1, 0, -0, 0.5, 1.0000001, 0.0001, 1e-7, 1e-300, 1e308, -1e308, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2, 1e21, 24.000001, 100_000.0001, 365.5, 3.14159265358979,
];

/** Number-like strings and tokens JSON.stringify cannot write (JSON.parse reads 1e400 as Infinity). */
export const NUMBER_TOKENS = ['NaN', 'Infinity', '-Infinity', '-0', '0x10', '1e308', '9007199254740993', '1,5', '10 mg', ' 5 ', '١٠'].concat(
  ['1e400', '-1e400', '123456789012345678901234567890', '0.0000000000000000000000000000001', '1E+2', '-0.0'].map(raw),
);

/** A string of up to 200,000 characters (at most ~800 kB of UTF-8, under the 1 MB body limit). */
const hugeString = fc
  .record({ unit: fc.constantFrom('a', 'é', '😀', '\u202e', "'; DROP TABLE users;--", 'e\u0301', ' ', '\u0000', '9'), length: fc.integer({ min: 1_000, max: 200_000 }) })
  .map(({ unit, length }) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** Objects or arrays nested up to 20,000 deep, as raw JSON text. */
const deepNesting = fc
  .record({ depth: fc.integer({ min: 20, max: 20_000 }), array: fc.boolean() })
  .map(({ depth, array }) => raw(array ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 5 });

export const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '$gt', '$where', '', ' ', 'a.b', 'items[0]', 'id', 'createdBy', 'status', 'patientId', 'admin', 'roles', '😀', '\u0000', 'x'.repeat(300)),
  fc.string({ maxLength: 12 }),
);

/** One hostile value: injection strings, odd unicode, impossible dates, extreme numbers, wrong types, huge or deep values. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...INJECTIONS) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...UNICODE) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...IMPOSSIBLE_DATES) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...NUMBER_TOKENS) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(true, false, null, [], {}, [null], [{}], ['']) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 5 }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepNesting },
);

/** A value of the same type as `original`, but out of range or malformed: gets past the type checks. */
function nearValue(original: unknown, pick: number): unknown {
  const from = <T>(values: readonly T[]) => values[pick % values.length];
  if (typeof original === 'number') return from([...NUMBERS, ...NUMBER_TOKENS.filter((token) => token.startsWith(RAW_START))]);
  if (typeof original === 'boolean') return from(['true', 'false', 1, 0, 'yes', null]);
  if (typeof original === 'string' && /^\d{4}-\d{2}-\d{2}/.test(original)) return from(IMPOSSIBLE_DATES);
  if (typeof original === 'string') return from([...INJECTIONS, ...UNICODE, original.padEnd(5_000, original || 'x'), ` ${original} `, original.toUpperCase()]);
  if (Array.isArray(original)) return from([[], {}, [original[0], original[0]], [...original, ...original, ...original, ...original, ...original, ...original], [[]], original.map(() => null)]);
  if (original && typeof original === 'object') return from([[], [original], {}, 'object', null, { ...original, ...original }]);
  return from([...NUMBERS, ...INJECTIONS]);
}

const PLAUSIBLE_DATES = ['1900-01-01', '1970-01-01', '2000-02-29', '2024-02-29', '2026-01-01', '2027-01-04', '2027-12-31', '2099-12-31'];
const PLAUSIBLE_INSTANTS = ['1970-01-01T00:00:00Z', '2000-01-01T00:00:00.000Z', '2026-11-27T00:00:00+07:00', '2027-01-04T08:00:00Z', '2099-01-01T00:00:00Z'];
const PLAUSIBLE_NUMBERS = [0, 0.001, 0.5, 1, 2, 3, 7, 10, 12.5, 24, 25, 99.99, 100, 365, 1_200, 10_000, 100_000, 1_000_000_000_000];
const PLAUSIBLE_WORDS = [
  'oxycodone', 'morphine', 'fentanyl', 'hydromorphone', 'tramadol', 'buprenorphine', 'methadone', 'codeine', 'unobtainium', 'paracetamol', 'ibuprofen',
  'naproxen', 'celecoxib', 'gabapentin', 'lidocaine', 'IR', 'ER', 'TRANSDERMAL', 'mg', 'mcg/h', 'patch', '%', 'ORAL', 'TOPICAL', 'START', 'CURRENT',
  'SELF', 'FAMILY', 'PROFESSIONAL', 'COWS', 'PAIN', 'INTAKE', 'ROUTINE', 'ADDITIONAL', 'CARD', 'TRANSFER', 'CASH', 'PLANNED', 'DONE', 'MISSED',
  'ONSITE_TAPER', 'OUTPATIENT_TAPER', 'HOSPITAL_DETOX_FIRST', 'MEDICATION', 'ACCOMMODATION', 'RESIDENTIAL_FEE', 'EXTRA_PSYCH_CONSULT', 'HOSPITAL_VISIT',
  'admin', 'nurse', 'female', 'CANCER', 'oxycodone:10:mg', 'morphine:30:mg', 'a@b.co', 'x',
];

/** A well-formed value of the same type (a real date, a number in range, another enum word): gets past validation to the domain rules. */
function plausibleValue(original: unknown, pick: number): unknown {
  const from = <T>(values: readonly T[]) => values[pick % values.length];
  if (typeof original === 'number') return from(PLAUSIBLE_NUMBERS);
  if (typeof original === 'boolean') return !original;
  if (typeof original === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(original)) return from(PLAUSIBLE_INSTANTS);
  if (typeof original === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(original)) return from(PLAUSIBLE_DATES);
  if (typeof original === 'string') return from(PLAUSIBLE_WORDS);
  if (Array.isArray(original)) return from([[], original.slice(0, 1), [...original, ...original], [...original].reverse()]);
  return original;
}

type Path = (string | number)[];

/** Every place in a body: each field, nested fields and array items (not the body itself). */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
  return [];
}

const clone = <T>(value: T): T => structuredClone(value);

type Node = Record<string | number, unknown>;

function nodeAt(body: unknown, path: Path): Node {
  let node = body as Node;
  for (const key of path) node = node[key] as Node;
  return node;
}

const parentOf = (body: unknown, path: Path): Node => nodeAt(body, path.slice(0, -1));
const isObject = (value: unknown): value is Node => value !== null && typeof value === 'object' && !Array.isArray(value);

/** defineProperty: a key named __proto__ must become a field, not the object's prototype. */
function setField(node: Node, key: string | number, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, configurable: true, writable: true });
}

interface Mutation {
  op: 'replace' | 'near' | 'plausible' | 'delete' | 'add' | 'wrap';
  pick: number;
  value: unknown;
  key: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<Mutation['op']>('replace', 'replace', 'near', 'near', 'plausible', 'plausible', 'plausible', 'delete', 'add', 'wrap'),
  pick: fc.nat(),
  value: hostileValue,
  key: hostileKey,
});

function mutate(valid: Json, mutations: Mutation[]): { body: Json; labels: string[] } {
  const body = clone(valid);
  const labels: string[] = [];
  for (const { op, pick, value, key } of mutations) {
    const paths = pathsOf(body);
    if (op === 'add' || paths.length === 0) {
      // An unknown field, at the top or inside a nested object.
      const objects = [[] as Path, ...paths.filter((path) => isObject(nodeAt(body, path)))];
      const where = objects[pick % objects.length]!;
      setField(nodeAt(body, where), key, clone(value));
      labels.push(`add ${[...where, key].join('.')}`);
      continue;
    }
    const path = paths[pick % paths.length]!;
    const parent = parentOf(body, path);
    const last = path[path.length - 1]!;
    if (op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (op === 'replace') setField(parent, last, clone(value));
    else if (op === 'near') setField(parent, last, nearValue(parent[last], pick));
    else if (op === 'plausible') setField(parent, last, plausibleValue(parent[last], pick));
    else setField(parent, last, Array.isArray(parent[last]) ? { 0: parent[last] } : [parent[last]]);
    labels.push(`${op} ${path.join('.')}`);
  }
  return { body, labels };
}

const MALFORMED_TEXTS = [
  '', ' ', '{', '}', '{"a":', '{"a":1,}', '{a:1}', "{'a':1}", '{"a":NaN}', '{"a":undefined}', '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":0x10}',
  '{"a":"\\x41"}', '{"a":"\\ud800"}', '{"a":"\t"}', 'null', 'true', '0', '"text"', '[]', '[{}]', '{}{}', '{"a":1} trailing', '\ufeff{}',
  '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":1,"a":2}', '{"":1}', '/* comment */ {}', '{"a":"' + 'x'.repeat(100) + '}',
];

/** Bytes that are not UTF-8, and UTF-16 text declared as such. */
const MALFORMED_BYTES: [string, Buffer][] = [
  ['application/json', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])],
  ['application/json', Buffer.from([0xed, 0xa0, 0x80])],
  ['application/json', Buffer.from('{"a":"\u00e9"}', 'latin1')],
  ['application/json; charset=utf-16', Buffer.from('{"a":1}', 'utf16le')],
];

const OTHER_MEDIA_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json-patch+json', 'application/JSON', 'application/json; charset=latin1', 'application/json; charset=utf-8; x=1'];

/**
 * A malformed request body built from `validBodies` (valid bodies of the route, to mutate):
 * mostly one to three mutations of a valid body, so that the request gets past the first checks;
 * also random objects, bodies of the wrong type, broken JSON and wrong media types.
 */
export function malformedBody(validBodies: readonly Json[]): fc.Arbitrary<MalformedBody> {
  const json = (kind: string, value: unknown): MalformedBody => ({ kind, contentType: 'application/json', payload: toJsonText(value) });
  const fieldNames = [...new Set(validBodies.flatMap((body) => pathsOf(body).map((path) => String(path[path.length - 1]))))];
  const key = fieldNames.length ? fc.oneof(fc.constantFrom(...fieldNames), hostileKey) : hostileKey;
  const anyValid = fc.nat({ max: validBodies.length - 1 }).map((index) => validBodies[index]!);
  return fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record({ valid: anyValid, mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) }).map(({ valid, mutations }) => {
        const { body, labels } = mutate(valid, mutations);
        return json(`mutated (${labels.join(', ')})`, body);
      }),
    },
    {
      // Well-formed values in the wrong place (a date outside the stay, another drug, a paid-off amount): these reach the domain rules.
      weight: 5,
      arbitrary: fc.record({ valid: anyValid, picks: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }) }).map(({ valid, picks }) => {
        const { body, labels } = mutate(valid, picks.map((pick) => ({ op: 'plausible', pick, value: null, key: '' })));
        return json(`plausible (${labels.join(', ')})`, body);
      }),
    },
    { weight: 3, arbitrary: fc.dictionary(key, hostileValue, { minKeys: 1, maxKeys: 8 }).map((body) => json('random object', body)) },
    { weight: 1, arbitrary: fc.constant(json('empty object', {})) },
    {
      weight: 2,
      arbitrary: fc.oneof(hostileValue.filter((value) => value === null || typeof value !== 'object' || Array.isArray(value)), anyValid.map((valid) => [valid]), anyValid.map((valid) => JSON.stringify(valid))).map((value) => json('not an object', value)),
    },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_TEXTS).map((payload) => ({ kind: 'malformed JSON', contentType: 'application/json', payload })) },
    { weight: 1, arbitrary: deepNesting.map((token) => ({ kind: 'deeply nested body', contentType: 'application/json', payload: toJsonText(token) })) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_BYTES).map(([contentType, payload]) => ({ kind: 'bytes that are not UTF-8 JSON', contentType, payload })) },
    {
      weight: 1,
      arbitrary: fc.record({ valid: anyValid, contentType: fc.constantFrom(...OTHER_MEDIA_TYPES) }).map(({ valid, contentType }) => ({ kind: `media type ${contentType}`, contentType, payload: toJsonText(valid) })),
    },
  );
}

/** A path id that is not a usable UUID, or another record's id; `raw` ones go into the URL as they are (bad percent-encoding). */
export const malformedId: fc.Arbitrary<{ id: string; raw: boolean }> = fc.oneof(
  fc.constantFrom(
    'abc', '0', '-1', 'null', 'undefined', "' OR 1=1--", '..', '%00', '\u0000', '😀', ' ', 'x'.repeat(99), 'x'.repeat(300),
    '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    '3fa85f64-5717-4562-b3fc-2c963f66afa', '3fa85f64-5717-4562-b3fc-2c963f66afa6x', '{3fa85f64-5717-4562-b3fc-2c963f66afa6}', '3fa85f6457174562b3fc2c963f66afa6',
  ).map((id) => ({ id, raw: false })),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '..%2F..%2Fusers', '%2e%2e').map((id) => ({ id, raw: true })),
);
