// Schemas built the first time they are used, not when their module loads. A process that starts,
// does one thing and exits (`claire hook` on every prompt of every Claude Code session, a CLI
// command with no server) loads modules that define dozens of schemas it never uses: building
// them, and loading zod at all, was the largest part of a hook's start-up (docs/performance.md).
// With every module-level schema made through lazySchema, and zod itself loaded on first use in
// the bundles (scripts/build.mjs), a process that parses nothing never loads zod.
//
// The stand-in is a Proxy that builds the schema on first touch and then forwards everything to
// it, so it is usable anywhere the schema is (composition, parse, shape, instanceof, zod's
// registries). Methods come bound to the real schema: zod's methods use `this`, and its
// registries are keyed by the schema object.

/** The schema `build` makes, made when it is first used. */
export const lazySchema = <T extends object>(build: () => T): T => {
  let built: T | undefined;
  const real = (): T => {
    if (built === undefined) built = build();
    return built;
  };
  const bound = new WeakMap<object, unknown>();
  return new Proxy(Object.create(null) as T, {
    get: (_target, key) => {
      const r = real();
      const value: unknown = Reflect.get(r, key);
      if (typeof value !== "function") return value;
      let b = bound.get(value);
      if (b === undefined) {
        b = value.bind(r);
        bound.set(value, b);
      }
      return b;
    },
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may not report a property its (empty) target lacks as non-configurable.
      return d === undefined ? undefined : { ...d, configurable: true };
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
  });
};
