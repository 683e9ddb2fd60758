// The words a refusal uses when a schema gives none of its own: what the person has to change,
// in plain English ("must not be empty", "must be one of low, normal, high, urgent"), not the
// schema library's ("Too small: expected string to have >=1 characters", `expected one of
// "low"|"normal"`). They reach people through the API, the CLI, the dashboard's forms and the MCP
// tools alike. Anything not covered here keeps zod's English message. Applied by zod-config.ts.

export type Issue = {
  code?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  values?: readonly unknown[];
  expected?: string;
};

const list = (values: readonly unknown[]) => values.map((v) => String(v)).join(", ");

export const plainMessage = (iss: Issue): string | undefined => {
  switch (iss.code) {
    case "too_small":
      if (iss.origin === "string")
        return Number(iss.minimum) <= 1 ? "must not be empty" : `at least ${iss.minimum} characters`;
      if (iss.origin === "array")
        return Number(iss.minimum) <= 1 ? "give at least one" : `give at least ${iss.minimum}`;
      if (iss.origin === "number" || iss.origin === "int")
        return `must be ${iss.inclusive === false ? "more than" : "at least"} ${iss.minimum}`;
      return undefined;
    case "too_big":
      if (iss.origin === "string") return `at most ${iss.maximum} characters`;
      if (iss.origin === "array") return `at most ${iss.maximum} of them`;
      if (iss.origin === "number" || iss.origin === "int")
        return `must be ${iss.inclusive === false ? "less than" : "at most"} ${iss.maximum}`;
      return undefined;
    case "invalid_value":
      return iss.values && iss.values.length > 0 ? `must be one of ${list(iss.values)}` : undefined;
    case "invalid_type":
      return iss.expected
        ? `expected ${iss.expected === "int" ? "a whole number" : `a ${iss.expected}`}`
        : undefined;
    default:
      return undefined;
  }
};
