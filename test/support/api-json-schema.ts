// A small JSON Schema (2020-12 / OpenAPI 3.1) validator for the subset Claire's OpenAPI document
// uses, so API tests check responses against the published document rather than against the zod
// schemas the document was made from. A keyword it does not know is an error, never a silent pass.

export type JsonSchema = { readonly [keyword: string]: unknown };

export class UnsupportedSchemaError extends Error {}

/** Keywords that describe but never constrain. */
const ANNOTATIONS = new Set([
  "$schema",
  "title",
  "description",
  "default",
  "examples",
  "example",
  "deprecated",
  "readOnly",
  "writeOnly",
  "discriminator",
  "externalDocs",
]);

const ASSERTIONS = new Set([
  "$ref",
  "type",
  "nullable",
  "properties",
  "required",
  "additionalProperties",
  "minProperties",
  "maxProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "uniqueItems",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
]);

const FORMATS: Record<string, (s: string) => boolean> = {
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  "date-time": (s) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) &&
    !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
  uri: (s) => URL.canParse(s),
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "number" ? "number" : typeof v;

const hasType = (v: unknown, t: string): boolean => {
  switch (t) {
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "object":
      return isObject(v);
    default:
      return typeOf(v) === t;
  }
};

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
const canon = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canon)
    : isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canon(v[k])]),
        )
      : v;

const regex = (pattern: string): RegExp => {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return new RegExp(pattern);
  }
};

const resolveRef = (root: unknown, ref: string): JsonSchema => {
  if (!ref.startsWith("#/")) throw new UnsupportedSchemaError(`only local $refs are supported: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    node = isObject(node) ? node[key] : undefined;
  }
  if (!isObject(node)) throw new UnsupportedSchemaError(`unresolvable $ref ${ref}`);
  return node;
};

/**
 * Every way `value` breaks `schema`, as "path: problem" lines (empty when it conforms).
 * `root` is the document local `$ref`s point into.
 */
export const validateJson = (
  schema: unknown,
  value: unknown,
  root: unknown = schema,
  path = "$",
): string[] => {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  if (!isObject(schema)) throw new UnsupportedSchemaError(`${path}: a schema must be an object or boolean`);
  for (const k of Object.keys(schema)) {
    if (!ANNOTATIONS.has(k) && !ASSERTIONS.has(k) && !k.startsWith("x-")) {
      throw new UnsupportedSchemaError(`${path}: unsupported keyword '${k}'`);
    }
  }
  const s = schema;
  const errors: string[] = [];
  const sub = (child: unknown, v: unknown, p: string) => validateJson(child, v, root, p);

  if (typeof s.$ref === "string") errors.push(...sub(resolveRef(root, s.$ref), value, path));

  if (s.type !== undefined) {
    const types = [...(Array.isArray(s.type) ? s.type : [s.type])] as string[];
    if (s.nullable === true) types.push("null");
    if (!types.some((t) => hasType(value, t))) {
      return [...errors, `${path}: expected ${types.join(" or ")}, got ${typeOf(value)}`];
    }
  } else if (s.nullable === true && value === null) {
    return errors;
  }

  if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
  }
  if ("const" in s && !deepEqual(s.const, value)) {
    errors.push(`${path}: expected ${JSON.stringify(s.const)}, got ${JSON.stringify(value)}`);
  }

  if (Array.isArray(s.allOf)) for (const b of s.allOf) errors.push(...sub(b, value, path));
  if (Array.isArray(s.anyOf) && !s.anyOf.some((b) => sub(b, value, path).length === 0)) {
    errors.push(`${path}: matches none of ${s.anyOf.length} anyOf branches`);
  }
  if (Array.isArray(s.oneOf)) {
    const matching = s.oneOf.filter((b) => sub(b, value, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} oneOf branches, not exactly one`);
  }
  if (s.not !== undefined && sub(s.not, value, path).length === 0) errors.push(`${path}: matches 'not'`);

  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum)
      errors.push(`${path}: below minimum ${s.minimum}`);
    if (typeof s.maximum === "number" && value > s.maximum)
      errors.push(`${path}: above maximum ${s.maximum}`);
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum)
      errors.push(`${path}: not above ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum)
      errors.push(`${path}: not below ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === "number" && !Number.isInteger(value / s.multipleOf))
      errors.push(`${path}: not a multiple of ${s.multipleOf}`);
  }

  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof s.minLength === "number" && length < s.minLength)
      errors.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === "number" && length > s.maxLength)
      errors.push(`${path}: longer than ${s.maxLength}`);
    if (typeof s.pattern === "string" && !regex(s.pattern).test(value))
      errors.push(`${path}: does not match /${s.pattern}/`);
    if (typeof s.format === "string") {
      const check = FORMATS[s.format];
      if (!check) throw new UnsupportedSchemaError(`${path}: unsupported format '${s.format}'`);
      if (!check(value)) errors.push(`${path}: not a valid ${s.format}: ${JSON.stringify(value)}`);
    }
  }

  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems)
      errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === "number" && value.length > s.maxItems)
      errors.push(`${path}: more than ${s.maxItems} items`);
    if (s.uniqueItems === true && new Set(value.map((v) => JSON.stringify(canon(v)))).size !== value.length)
      errors.push(`${path}: items are not unique`);
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    value.forEach((item, i) => {
      if (i < prefix.length) errors.push(...sub(prefix[i], item, `${path}[${i}]`));
      else if (s.items !== undefined) errors.push(...sub(s.items, item, `${path}[${i}]`));
    });
  }

  if (isObject(value)) {
    const props = isObject(s.properties) ? s.properties : {};
    const keys = Object.keys(value);
    if (Array.isArray(s.required)) {
      for (const r of s.required as string[])
        if (!Object.hasOwn(value, r)) errors.push(`${path}: missing '${r}'`);
    }
    if (typeof s.minProperties === "number" && keys.length < s.minProperties)
      errors.push(`${path}: fewer than ${s.minProperties} properties`);
    if (typeof s.maxProperties === "number" && keys.length > s.maxProperties)
      errors.push(`${path}: more than ${s.maxProperties} properties`);
    for (const k of keys) {
      if (Object.hasOwn(props, k)) errors.push(...sub(props[k], value[k], `${path}.${k}`));
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected property '${k}'`);
      else if (s.additionalProperties !== undefined && s.additionalProperties !== true)
        errors.push(...sub(s.additionalProperties, value[k], `${path}.${k}`));
    }
  }
  return errors;
};
