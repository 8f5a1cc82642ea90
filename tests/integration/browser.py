"""A real browser for the web UI tests: tests/e2e/driver.mjs (Debian's
Chromium through playwright-core) in a child node process, spoken to in
JSON lines. Each method is one command; a failed command raises with the
driver's message and the path of a screenshot of the page at that moment."""

import json
import os
import subprocess

E2E = os.path.join(os.path.dirname(__file__), "..", "e2e")


class BrowserError(AssertionError):
    pass


class Browser:
    def __init__(self, url, out_dir, netns=None, **opts):
        """`netns`: run the browser on a host of that network namespace."""
        prefix = ["ip", "netns", "exec", netns] if netns else []
        self.proc = subprocess.Popen([*prefix, "node", os.path.join(E2E, "driver.mjs")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, bufsize=1)
        self.do("open", url=url, outDir=str(out_dir), **opts)

    def do(self, cmd, **args):
        self.proc.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise BrowserError(f"the browser driver ended during {cmd}")
        answer = json.loads(line)
        if not answer.pop("ok"):
            raise BrowserError(f"{cmd} {args}: {answer.get('error')} (page {answer.get('url')}, "
                               f"screenshot {answer.get('screenshot')})")
        return answer

    def goto(self, path, **kw):
        return self.do("goto", path=path, **kw)

    def fill(self, value, **target):
        return self.do("fill", value=value, **target)

    def click(self, **target):
        return self.do("click", **target)

    def text(self, **target):
        return self.do("text", **target)["text"]

    def wait(self, **target):
        return self.do("wait", **target)

    def wait_text_of(self, pattern, **target):
        return self.do("waitTextOf", pattern=pattern, **target)["text"]

    def screens(self, name):
        return self.do("screens", name=name)["files"]

    def login(self, password, user="admin"):
        self.goto("/login", waitRole={"role": "button", "name": "Log in"})
        self.fill(user, label="User name")
        self.fill(password, label="Password")
        self.click(role="button", name="Log in")

    def close(self):
        if self.proc.poll() is None:
            try:
                self.do("close")
            except BrowserError:
                pass
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
