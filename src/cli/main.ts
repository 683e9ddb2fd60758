// Claire's CLI entry (bundled to dist/claire.js): builds the commander program and runs it.
const args = process.argv.slice(2);
if (args[0] === "--version" || args[0] === "-V") {
  process.stdout.write("claire 0.1.0\n");
} else {
  process.stderr.write("claire: not implemented yet\n");
  process.exitCode = 2;
}
