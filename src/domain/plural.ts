// "1 session", "2 sessions": a count with its noun, for what people read (CLI, dashboard, MCP text).
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
