// V8's code cache for Claire's own bundles (dist/*.cjs), taken after the command has run.
//
// Why by hand: Node's compile cache (module.enableCompileCache) saves a module's code right after
// compiling it, before it runs, so it holds only the top-level code; every function a command
// calls is still parsed and compiled on every start (about 20 ms of `claire status` in-process).
// V8 can serialise a script's code after it has run (vm.Script#createCachedData), which then
// includes every function the command used; Node offers that only through vm.Script, so the
// bundles are compiled through it here. Everything else stays on Node's compile cache.
//
// One cache file per bundle and command (`status`, `hook-sessionstart`, ...): a cache holds what the
// run that wrote it executed, so a `claire --version` cache would be of little use to `claire status`.
// A file is rewritten when its bundle changed or V8 refused it (another Node version, other V8
// flags). "Changed" is decided by the bundle's content hash, written by the build into
// dist/content-ids.json, plus its size and mtime: V8 itself checks only the source's length, and
// npm gives every installed file the same mtime, so without the hash a release whose bundle
// differs only in a same-length string would run the previous release's code. No content id, no
// cache. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
//
// Required by bin/claire.cjs only once it knows the Node is new enough (>= 22.12).
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");
const { isAscii } = require("node:buffer");

const HEADER_MAX = 256;

// FNV-1a: the cache files of two checkouts must not collide; node:crypto costs ~2 ms to load.
const hash = (text) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
};

// A directory only this user can write: a planted cache file would be code run as this user.
const ownDirectory = () => {
  const uid = typeof process.getuid === "function" ? process.getuid() : -1;
  const dir = path.join(os.tmpdir(), `claire-code-cache-${uid >= 0 ? uid : "user"}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if (e.code !== "EEXIST") return null;
  }
  try {
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return null;
    if (uid >= 0 && (st.uid !== uid || (st.mode & 0o022) !== 0)) return null;
  } catch {
    return null;
  }
  return dir;
};

const readCache = (file, stamp) => {
  let data;
  try {
    data = fs.readFileSync(file);
  } catch {
    return null;
  }
  const end = data.indexOf(10);
  if (end < 0 || end > HEADER_MAX || data.toString("latin1", 0, end) !== stamp) return null;
  return data.subarray(end + 1);
};

const writeCache = (file, stamp, data) => {
  const partial = `${file}.${process.pid}.partial`;
  try {
    const fd = fs.openSync(partial, "w", 0o600);
    try {
      fs.writeSync(fd, `${stamp}\n`);
      fs.writeSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, file);
  } catch {
    fs.rmSync(partial, { force: true });
  }
};

// What the directory may hold. Files are named per bundle path, so every checkout, temporary
// install and release directory that ever ran Claire leaves its own (a machine that runs the test
// suite or CI clones gathered hundreds of MB in a day). One install's caches take ~60 MB.
const KEEP_MAX_BYTES = 256 * 1024 * 1024;
const KEEP_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
const OURS = /^[a-z]+-[a-z-]+-[0-9a-f]{1,8}\.bin(\.\d+\.partial)?$/;

/**
 * Removes caches not rewritten for 30 days, then the oldest until the rest fit in 256 MB. Run only
 * after this process wrote a cache (a new bundle or command: rare), never on a warm start. A cache
 * still in use that goes costs one start compiled without it, which writes it again.
 */
const prune = (dir, now = Date.now()) => {
  const files = [];
  for (const name of fs.readdirSync(dir)) {
    if (!OURS.test(name)) continue;
    try {
      const st = fs.statSync(path.join(dir, name));
      files.push({ name, size: st.size, mtime: st.mtimeMs });
    } catch {}
  }
  files.sort((a, b) => b.mtime - a.mtime);
  let kept = 0;
  for (const f of files) {
    const partial = f.name.endsWith(".partial");
    const old = now - f.mtime > (partial ? 3600 * 1000 : KEEP_MAX_AGE_MS);
    if (!old && kept + f.size <= KEEP_MAX_BYTES) {
      kept += f.size;
      continue;
    }
    try {
      fs.rmSync(path.join(dir, f.name), { force: true });
    } catch {}
  }
};
exports.prune = prune;

/**
 * Compiles the .cjs files of `distDir` through V8's code cache named after `command`. Returns
 * false (and changes nothing) where it cannot: then Node's own compile cache is all there is.
 */
exports.install = (distDir, command) => {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return false;
  const loader = vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!loader) return false;
  // Node calls that loader experimental and says so on stderr the first time a bundle's import()
  // runs (doctor, backup, export...): it is how the bundles' own dynamic imports keep working, not
  // news for the user. Only that warning is dropped.
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    if (String(warning?.message ?? warning).includes("USE_MAIN_CONTEXT_DEFAULT_LOADER")) return;
    return emitWarning.call(this, warning, ...rest);
  };
  let contentIds;
  try {
    contentIds = JSON.parse(fs.readFileSync(path.join(distDir, "content-ids.json"), "utf8"));
  } catch {
    return false;
  }
  const dir = ownDirectory();
  if (!dir) return false;
  const variant = /^[a-z][a-z-]{0,30}$/.test(command ?? "") ? command : "other";
  const stale = [];
  const compile = Module.prototype._compile;
  const ours = (filename) =>
    path.dirname(filename) === distDir &&
    path.extname(filename) === ".cjs" &&
    typeof contentIds[path.basename(filename)] === "string";

  // The bundles are ASCII (the build asks esbuild for it), and a one-byte string is made from
  // ASCII about twice as fast as from UTF-8 (~1.5 ms of the 660 KB core.cjs). Checked, not assumed.
  const loadJs = Module._extensions[".js"];
  Module._extensions[".js"] = function (module, filename) {
    if (!ours(filename)) return loadJs.call(this, module, filename);
    const bytes = fs.readFileSync(filename);
    return module._compile(bytes.toString(isAscii(bytes) ? "latin1" : "utf8"), filename, "commonjs");
  };

  Module.prototype._compile = function (content, filename, format) {
    if (format === "module" || !ours(filename)) return compile.call(this, content, filename, format);
    const contentId = contentIds[path.basename(filename)];
    const st = fs.statSync(filename);
    const stamp = `claire-code-cache 2 ${contentId} ${st.size} ${st.mtimeMs} ${process.version} ${process.arch}`;
    const file = path.join(dir, `${path.basename(filename, ".cjs")}-${variant}-${hash(filename)}.bin`);
    const cached = readCache(file, stamp);
    const script = new vm.Script(Module.wrap(content), {
      filename,
      cachedData: cached ?? undefined,
      importModuleDynamically: loader,
    });
    if (!cached || script.cachedDataRejected) stale.push({ script, file, stamp });
    const wrapper = script.runInThisContext({ displayErrors: true });
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };

  // At exit, so the cache holds the functions this command ran. Only when a cache was missing or
  // refused (a warm start writes nothing), and only after a run that succeeded: the cache is kept
  // until the bundle changes, and one taken from a failure (no config yet, a typo) would hold the
  // error path and leave every later run compiling the real one.
  process.once("exit", (code) => {
    if (code !== 0) return;
    if (stale.length === 0) return;
    for (const { script, file, stamp } of stale) {
      try {
        writeCache(file, stamp, script.createCachedData());
      } catch {}
    }
    try {
      prune(dir);
    } catch {}
  });
  return true;
};
