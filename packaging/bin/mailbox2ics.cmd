@echo off
rem The mailbox2ics command of the installed app (resources\bin\ in its install folder): runs the
rem headless command in the app's own mailbox2ics.exe, which attaches to this console; exits with its code.
"%~dp0..\..\mailbox2ics.exe" --mailbox2ics-cli -- %*
exit /b %ERRORLEVEL%
