#!/usr/bin/env bash
# Set-up command 1 of 2 (README): installs what mailbox2ics needs on Debian/Ubuntu and runs it on the
# bundled sample mailbox (resources/sample-mailbox → demo.ics). Works as root or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup-common.sh

need_node
# keytar (the keychain binding) builds against libsecret; python3/make/g++ build the native modules.
apt_install libsecret-1-dev python3 make g++
npm_install
npm run --silent demo
