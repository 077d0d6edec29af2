#!/usr/bin/env bash
# Set-up command 2 of 2 (README; CI runs it verbatim): installs what the tests need on Debian/Ubuntu, then
# runs `npm test`. Works as root or as a user with sudo; a second run skips what is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup-common.sh

need_node
# dovecot-imapd: the private IMAP server of the test bed; openssl: its throwaway CA; libsecret-1-dev:
# keytar builds against it; gnome-keyring + dbus: a real Secret Service; python3/make/g++: native builds;
# chromium: the renderer's end-to-end tests; vdirsyncer, khal, calcurse, python3-icalendar,
# python3-vobject, radicale: real calendar clients that must accept the output; curl: feed checks;
# desktop-file-utils: desktop-file-validate checks the Linux start-at-login entry.
apt_install dovecot-imapd openssl libsecret-1-dev gnome-keyring dbus dbus-x11 python3 make g++ chromium \
  vdirsyncer curl khal calcurse python3-icalendar python3-vobject radicale desktop-file-utils
npm_install
npm test
