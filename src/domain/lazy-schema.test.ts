// A schema made on first use behaves as the schema itself wherever Claire uses one.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { lazySchema } from "./lazy-schema.ts";

const counted = () => {
  let builds = 0;
  const schema = lazySchema(() => {
    builds++;
    return z.strictObject({ name: z.string().min(1), size: z.number().int().default(1) });
  });
  return { schema, builds: () => builds };
};

describe("lazySchema", () => {
  it("builds nothing until used, then once", () => {
    const c = counted();
    expect(c.builds()).toBe(0);
    expect(c.schema.parse({ name: "a" })).toEqual({ name: "a", size: 1 });
    expect(c.schema.safeParse({ name: "" }).success).toBe(false);
    expect(c.builds()).toBe(1);
  });

  it("refuses as the schema does, with Claire's words", () => {
    const { schema } = counted();
    const r = schema.safeParse({ name: "", extra: 1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining(["must not be empty", expect.stringContaining("extra")]),
    );
  });

  it("composes: inside other schemas, extended, wrapped, by its shape", () => {
    const { schema } = counted();
    const outer = z.strictObject({ inner: schema, list: z.array(schema).max(2) });
    expect(outer.parse({ inner: { name: "x" }, list: [{ name: "y", size: 3 }] })).toEqual({
      inner: { name: "x", size: 1 },
      list: [{ name: "y", size: 3 }],
    });
    expect(outer.safeParse({ inner: { name: "x" }, list: [{}, {}, {}] }).success).toBe(false);
    expect(schema.extend({ extra: z.boolean() }).parse({ name: "a", extra: true })).toEqual({
      name: "a",
      size: 1,
      extra: true,
    });
    expect(schema.nullable().parse(null)).toBeNull();
    expect(schema.optional().parse(undefined)).toBeUndefined();
    expect(Object.keys(schema.shape)).toEqual(["name", "size"]);
    expect(schema.shape.name.parse("n")).toBe("n");
    const lazyOfLazy = lazySchema(() => schema.extend({ more: z.string() }));
    expect(lazyOfLazy.safeParse({ name: "a" }).success).toBe(false);
  });

  it("is a zod schema to instanceof, `in` and zod's own tools", () => {
    const { schema } = counted();
    expect(schema instanceof z.ZodObject).toBe(true);
    expect(schema instanceof z.ZodType).toBe(true);
    expect("_zod" in schema).toBe(true);
    const described = schema.describe("a thing");
    expect(described.description).toBe("a thing");
    expect(z.toJSONSchema(schema)).toMatchObject({
      type: "object",
      properties: { name: { type: "string", minLength: 1 } },
      required: ["name", "size"],
    });
    const union = z.discriminatedUnion("kind", [
      lazySchema(() => z.strictObject({ kind: z.literal("a"), a: z.string() })),
      lazySchema(() => z.strictObject({ kind: z.literal("b"), b: z.number() })),
    ]);
    expect(union.parse({ kind: "b", b: 2 })).toEqual({ kind: "b", b: 2 });
    expect(union.safeParse({ kind: "a", b: 2 }).success).toBe(false);
  });
});
