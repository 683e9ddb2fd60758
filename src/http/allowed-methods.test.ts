import { describe, expect, it } from "vitest";
import { allowedMethods, routePattern } from "./allowed-methods.ts";

describe("routePattern", () => {
  it("matches a parameter as one segment, never across a slash", () => {
    const p = routePattern("/api/v1/tasks/:id");
    expect(p.test("/api/v1/tasks/abc")).toBe(true);
    expect(p.test("/api/v1/tasks/abc/")).toBe(false);
    expect(p.test("/api/v1/tasks/abc/timeline")).toBe(false);
    expect(p.test("/api/v1/tasks/")).toBe(false);
    expect(p.test("/api/v1/tasksX/abc")).toBe(false);
  });
  it("treats dots and other RegExp characters literally", () => {
    expect(routePattern("/api/v1/openapi.json").test("/api/v1/openapiXjson")).toBe(false);
    expect(routePattern("/api/v1/openapi.json").test("/api/v1/openapi.json")).toBe(true);
  });
  it("keeps a parameter's own pattern, an optional last segment and a wildcard", () => {
    expect(routePattern("/n/:n{[0-9]+}").test("/n/12")).toBe(true);
    expect(routePattern("/n/:n{[0-9]+}").test("/n/ab")).toBe(false);
    expect(routePattern("/a/:b?").test("/a")).toBe(true);
    expect(routePattern("/a/:b?").test("/a/x")).toBe(true);
    expect(routePattern("/files/*").test("/files/x/y")).toBe(true);
  });
});

describe("allowedMethods", () => {
  const routes = [
    { method: "ALL", path: "/*" },
    { method: "GET", path: "/api/v1/tasks/:id" },
    { method: "PATCH", path: "/api/v1/tasks/:id" },
    { method: "POST", path: "/api/v1/claims" },
  ];
  it("lists every method routed for the path, HEAD with GET, and ignores middleware", () => {
    expect(allowedMethods(routes, "/api/v1/tasks/x")).toEqual(["GET", "HEAD", "PATCH"]);
    expect(allowedMethods(routes, "/api/v1/claims")).toEqual(["POST"]);
    expect(allowedMethods(routes, "/api/v1/nothing")).toEqual([]);
  });
});
