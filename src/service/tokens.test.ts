import { afterEach, describe, expect, it } from "vitest";
import { createTempClaire, must, type TempClaire } from "../../test/support/temp-claire.ts";
import { SIGN_IN_TTL_MS } from "./tokens.ts";

const claires: TempClaire[] = [];
afterEach(() => {
  for (const c of claires.splice(0)) c.close();
});
const claire = () => {
  const c = createTempClaire();
  claires.push(c);
  return c;
};

describe("dashboard sign-ins", () => {
  it("are bought with an active token, kept hashed, and end with the token, sign-out or time", () => {
    const c = claire();
    const { token } = must(c.service.createToken("phone"));
    expect(c.service.signIn("claire_wrong")).toBeNull();
    const credential = c.service.signIn(token)!;
    expect(credential).toMatch(/^[\w-]{43}$/);
    c.clock.now += 60_000;
    expect(c.service.checkSignIn(credential)).toBe(true);
    // Its use counts as the token's.
    expect(c.service.listTokens()[0]!.lastUsedAt).toBe(new Date(c.clock.now).toISOString());
    expect(c.service.checkSignIn(`${credential}x`)).toBe(false);
    // Neither the credential nor the token is in the database.
    const rows = JSON.stringify(c.store.db.prepare("SELECT * FROM dashboard_sign_ins").all());
    expect(rows).not.toContain(credential);
    expect(rows).not.toContain(token);
    c.service.signOut(credential);
    expect(c.service.checkSignIn(credential)).toBe(false);

    const again = c.service.signIn(token)!;
    c.clock.now += SIGN_IN_TTL_MS + 1;
    expect(c.service.checkSignIn(again)).toBe(false);
    const third = c.service.signIn(token)!;
    must(c.service.revokeToken("phone"));
    expect(c.service.checkSignIn(third)).toBe(false);
    expect(c.service.signIn(token)).toBeNull();
  });

  it("are kept at most 1,000: the oldest go first", () => {
    const c = claire();
    const { token } = must(c.service.createToken("kiosk"));
    const first = c.service.signIn(token)!;
    c.clock.now += 1;
    const second = c.service.signIn(token)!;
    for (let i = 0; i < 999; i++) {
      c.clock.now += 1;
      c.service.signIn(token);
    }
    expect(c.service.checkSignIn(first)).toBe(false);
    expect(c.service.checkSignIn(second)).toBe(true);
    const count = c.store.db.prepare("SELECT COUNT(*) AS n FROM dashboard_sign_ins").get() as { n: number };
    expect(count.n).toBe(1000);
  });
});
