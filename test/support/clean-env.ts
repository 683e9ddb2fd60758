// Every test starts from an environment without the variables that point Claire, or a Claude Code
// session, somewhere: a developer's CLAIRE_HOME (the README suggests one for a second instance), a
// CLAIRE_SERVER or CLAIRE_TOKEN, or CLAUDE_CODE_SESSION_ID when the suite runs inside Claude Code,
// would otherwise change what the code under test does (and fail tests that are right).
for (const name of [
  "CLAIRE_HOME",
  "CLAIRE_SERVER",
  "CLAIRE_TOKEN",
  "CLAUDE_CODE_SESSION_ID",
  "CLAUDE_PID",
  "CLAUDE_PROJECT_DIR",
  "CLAUDE_CONFIG_DIR",
])
  delete process.env[name];
