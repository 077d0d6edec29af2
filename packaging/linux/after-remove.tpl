#!/bin/bash
# mailbox2ics .deb after-remove (an electron-builder template: ${...} is filled in at build time):
# takes away /usr/bin/mailbox2ics (the command line) and the AppArmor profile, as electron-builder's does.

cli='/opt/${sanitizedProductName}/resources/bin/${executable}'
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' "$cli" >/dev/null 2>&1 || true
fi
# A plain link (no update-alternatives) now points nowhere.
if [ -L '/usr/bin/${executable}' ] && [ ! -e '/usr/bin/${executable}' ]; then
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  rm -f "$APPARMOR_PROFILE_DEST"
fi
