// The published JSON contract (schema/*.schema.json), checked against what the code writes. Tests
// that produce one of these outputs pass it through assertSchema, so a key added, renamed or
// retyped without the schema saying so fails a test.

import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';

export const SCHEMAS = ['scan-result', 'exposure', 'obligations', 'pack-draft', 'queue-status'] as const;
export type SchemaName = (typeof SCHEMAS)[number];

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (v === undefined) {
    const file = new URL(`../../schema/${name}.schema.json`, import.meta.url);
    v = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
    compiled.set(name, v);
  }
  return v;
}

/** Where the value breaks the schema, one line each (`/findings/0/stage must be equal to one of the allowed values`). */
export function schemaErrors(name: SchemaName, value: unknown): string[] {
  const v = validator(name);
  if (v(value)) return [];
  return (v.errors ?? []).map(
    (e) =>
      `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? `: ${String((e.params as { additionalProperty?: string }).additionalProperty)}` : ''}`,
  );
}

/** Parses JSON text when given text, checks it against the named schema, and returns the value. */
export function assertSchema<T = unknown>(name: SchemaName, json: unknown): T {
  const value: unknown = typeof json === 'string' ? JSON.parse(json) : json;
  assert.deepEqual(schemaErrors(name, value), [], `output does not match schema/${name}.schema.json`);
  return value as T;
}
