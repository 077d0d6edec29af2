# Shared by scripts/run-demo.sh and scripts/run-tests.sh: checks Node, installs Debian packages (as root
# or through sudo), and runs `npm ci` only when package-lock.json or Node changed since the last one.
# Sourced, never run on its own.

say() { printf 'mailbox2ics set-up: %s\n' "$*" >&2; }

need_node() {
  if ! command -v node >/dev/null 2>&1; then
    say "Node.js is not installed. mailbox2ics needs Node.js 20.19 or newer (20, 22 or 24+); README.md, section \"Node.js\", says how to get it."
    exit 1
  fi
  if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=13)||a>=24?0:1)'; then
    say "Node.js $(node --version) is too old or unsupported: mailbox2ics needs 20.19 or newer (20, 22 or 24+). README.md, section \"Node.js\", says how to get it."
    exit 1
  fi
}

# apt_install PKG...: installs the missing ones; as root directly, otherwise through sudo.
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system: install these yourself, then run this again: ${missing[*]}"
    exit 1
  fi
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else say "installing ${missing[*]} needs root: run this as root, or install sudo"; exit 1; fi
  fi
  say "installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm_install: `npm ci` once per package-lock.json and Node version (a second run reuses node_modules).
npm_install() {
  # The Electron binary cannot be downloaded everywhere; the app's checks need only its type definitions.
  # Set MAILBOX2ICS_WITH_ELECTRON=1 on a machine that can download it.
  [ "${MAILBOX2ICS_WITH_ELECTRON:-}" = 1 ] || export ELECTRON_SKIP_BINARY_DOWNLOAD=1
  local stamp="node_modules/.mailbox2ics-installed"
  local want
  want="$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync("package-lock.json")).update(process.version).update(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD||"").digest("hex"))')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "node_modules is up to date (npm ci skipped)"
    return 0
  fi
  npm ci --no-audit --no-fund
  printf '%s' "$want" > "$stamp"
}
