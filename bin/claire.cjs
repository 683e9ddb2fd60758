#!/usr/bin/env node
// Claire's command-line entry. Written in old-fashioned JavaScript on purpose: it must parse on
// any Node, so that on a runtime older than 22.12 it can re-run itself with the Node 24 pinned in
// the package (the `node` devDependency) or say what to install, instead of crashing on syntax.
"use strict";
var path = require("path");
var fs = require("fs");

var MIN = [22, 12];

function newEnough(version) {
  var parts = version.split(".");
  var major = parseInt(parts[0], 10);
  var minor = parseInt(parts[1], 10);
  return major > MIN[0] || (major === MIN[0] && minor >= MIN[1]);
}

function pinnedNode() {
  // npm puts the `node` package's binary in node_modules/node/bin/node; a global install may
  // have hoisted it one level up.
  var root = path.join(__dirname, "..");
  var candidates = [
    path.join(root, "node_modules", "node", "bin", "node"),
    path.join(root, "..", "node", "bin", "node"),
  ];
  for (var i = 0; i < candidates.length; i++) {
    if (fs.existsSync(candidates[i])) return candidates[i];
  }
  return null;
}

if (!newEnough(process.versions.node)) {
  var pinned = process.env.CLAIRE_REEXEC ? null : pinnedNode();
  if (!pinned) {
    process.stderr.write(
      "claire: Node.js " +
        MIN.join(".") +
        " or newer is required (this is " +
        process.version +
        ").\n" +
        "Install Node.js 24 LTS (https://nodejs.org, or your package manager, or nvm install 24)\n" +
        "and run claire again.\n",
    );
    process.exit(1);
  }
  var env = Object.assign({}, process.env, { CLAIRE_REEXEC: "1" });
  var child = require("child_process").spawn(pinned, [__filename].concat(process.argv.slice(2)), {
    stdio: "inherit",
    env: env,
  });
  // Not spawnSync: a wrapper blocked in it dies of a SIGTERM (from a supervisor, or `kill`) and
  // leaves the real process running without it. Signals sent to this one are passed on instead.
  var forwarded = ["SIGINT", "SIGTERM", "SIGHUP"];
  forwarded.forEach(function (sig) {
    process.on(sig, function () {
      child.kill(sig);
    });
  });
  child.on("error", function (e) {
    process.stderr.write("claire: could not start the pinned Node at " + pinned + ": " + e.message + "\n");
    process.exit(1);
  });
  child.on("exit", function (code, signal) {
    if (signal) {
      forwarded.forEach(function (sig) {
        process.removeAllListeners(sig);
      });
      process.kill(process.pid, signal);
    }
    process.exit(code === null ? 1 : code);
  });
} else {
  // `claire hook <event>` runs on every prompt of every Claude Code session: its own small bundle
  // entry, without the command parser and the other commands (`claire hook --help` still gets them).
  var hookEntry = path.join(__dirname, "..", "dist", "hook.cjs");
  var isHook = process.argv[2] === "hook" && /^[A-Za-z]/.test(process.argv[3] || "");
  var entry =
    isHook && fs.existsSync(hookEntry) ? hookEntry : path.join(__dirname, "..", "dist", "claire.cjs");
  if (!fs.existsSync(entry)) {
    process.stderr.write(
      "claire: " + entry + " is missing; run `npm run build` in " + path.join(__dirname, "..") + "\n",
    );
    process.exit(1);
  }
  // V8's on-disk code caches skip re-parsing and re-compiling code on every call: a large share of
  // a short command's start-up time. Claire's bundles get a cache taken after the command ran
  // (bin/code-cache.cjs); anything else (better-sqlite3's JavaScript) Node's compile cache.
  // A hook's cache is per event: a Stop never runs the briefing a SessionStart prints, and a cache
  // holds only what the run that wrote it ran.
  var HOOK_EVENTS = ["SessionStart", "UserPromptSubmit", "Notification", "Stop", "SessionEnd"];
  var variant = isHook
    ? "hook-" + (HOOK_EVENTS.indexOf(process.argv[3]) >= 0 ? process.argv[3].toLowerCase() : "other")
    : process.argv[2];
  // Node's own cache first, so that code-cache.cjs itself is compiled from it.
  var mod = require("module");
  if (typeof mod.enableCompileCache === "function") {
    try {
      mod.enableCompileCache();
    } catch (e) {}
  }
  require("./code-cache.cjs").install(path.dirname(entry), variant);
  // require() of an ES module works from Node 22.12 on, which is exactly the floor checked above.
  require(entry);
}
