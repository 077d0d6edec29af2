# Runs a command on a real pseudo-terminal and types an answer once a prompt has appeared, as a person
# would (never before: the terminal could still echo). Prints everything the terminal showed. Test-only.
# Usage: python3 pty-answer.py PROMPT_SUBSTRING ANSWER_ENV_VAR -- command args...
import os, pty, select, sys, time

prompt = sys.argv[1].encode()
answer = os.environ[sys.argv[2]].encode()
cmd = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
seen, typed, deadline = b'', False, time.time() + 120
while True:
    r, _, _ = select.select([fd], [], [], 1.0)
    if time.time() > deadline:
        break
    if not r:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if not typed and prompt in seen:
        time.sleep(0.2)  # let the program finish switching echo off after writing its prompt
        os.write(fd, answer + b'\r')
        typed = True
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode('utf-8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
