#!/usr/bin/env python3
"""Opens HTML pages in headless Chromium and records every request each page makes. Standard library only.

    report_in_chromium.py [--print-checks] CHROMIUM OUTPUT_DIR PAGE.html [PAGE.html ...]

Chromium runs with --remote-debugging-pipe: the DevTools protocol (CDP) goes over file descriptors 3 and 4 as
NUL-terminated JSON, so no port is opened and no websocket library is needed. For each page the script attaches to
a fresh tab, enables the Network, Page and Log domains *before* navigating, loads the page from its file:// URL,
waits for the load event and a short settling time, and records:

- requests: the URL of every Network.requestWillBeSent of the tab (the page itself is the first), and of every
  request the browser blocked (Network.loadingFailed with a blockedReason, e.g. the CSP);
- headings (h2 texts), section ids, the number of inline SVG charts, the title;
- console and log errors (a CSP violation is logged as an error);
- for the first page only: a PNG screenshot of the first screen (OUTPUT_DIR/report.png) and the page printed to
  PDF as the browser prints on A4 (OUTPUT_DIR/report.pdf), with its page count.

With --print-checks, the first page is then laid out as it prints (print media, the A4 page's content width of
180 mm) and the script records every element whose content is wider than its box (scrollWidth > clientWidth, an
overflow; for a chart's text: its box outside the chart's viewBox), and a PNG screenshot of each section (OUTPUT_DIR/section-<id>.png).

As a second guard the browser resolves no host (--host-resolver-rules) and sends everything else to a proxy on the
closed loopback port 9, so even a request that slipped through could not leave the machine. Prints one JSON object:
{"pages": [...]}.
"""

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


class Browser:
    def __init__(self, executable, profile, log):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()

        def descriptors():
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(
            [
                executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--proxy-server=127.0.0.1:9", "--hide-scrollbars", "about:blank",
            ],
            preexec_fn=descriptors, close_fds=False, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 1
        self.events = []

    def send(self, method, params=None, session=None):
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.next_id += 1
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return message["id"]

    def read(self, timeout):
        """Reads the messages that arrive within `timeout` seconds; events are kept, responses returned."""
        responses = {}
        deadline = time.time() + timeout
        while True:
            remaining = deadline - time.time()
            if remaining <= 0:
                return responses
            ready, _, _ = select.select([self.from_browser], [], [], remaining)
            if not ready:
                return responses
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    responses[message["id"]] = message
                else:
                    self.events.append(message)
            if responses:
                return responses

    def call(self, method, params=None, session=None, timeout=60):
        identifier = self.send(method, params, session)
        deadline = time.time() + timeout
        while time.time() < deadline:
            responses = self.read(deadline - time.time())
            if identifier in responses:
                response = responses[identifier]
                if "error" in response:
                    raise RuntimeError(f"{method}: {response['error']}")
                return response.get("result", {})
        raise RuntimeError(f"{method}: no answer within {timeout} s")

    def wait_for(self, predicate, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(predicate(event) for event in self.events):
                return True
            self.read(min(0.2, max(0.0, deadline - time.time())))
        return any(predicate(event) for event in self.events)

    def close(self):
        try:
            self.send("Browser.close")
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait()


INSPECT = """JSON.stringify({
  title: document.title,
  headings: Array.from(document.querySelectorAll('h2')).map(e => e.textContent.trim()),
  sections: Array.from(document.querySelectorAll('section')).map(e => e.id),
  svgs: document.querySelectorAll('svg').length,
  resources: performance.getEntriesByType('resource').map(e => e.name),
  text: document.body ? document.body.innerText : ''
})"""


OVERFLOW = """JSON.stringify(Array.from(document.querySelectorAll('body, body *'))
  .filter(e => !(e instanceof SVGElement) && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
  .map(e => ({tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: (e.textContent || '').trim().slice(0, 60),
      scrollWidth: e.scrollWidth, clientWidth: e.clientWidth}))
  .concat(Array.from(document.querySelectorAll('svg text')).filter(e => {
    const box = e.getBBox(), view = e.ownerSVGElement.viewBox.baseVal;
    return box.x < view.x - 1 || box.x + box.width > view.x + view.width + 1;
  }).map(e => ({tag: 'svg text', id: '', cls: '', text: (e.textContent || '').trim().slice(0, 60),
      scrollWidth: Math.round(e.getBBox().x + e.getBBox().width), clientWidth: e.ownerSVGElement.viewBox.baseVal.width}))))"""

SECTIONS = """JSON.stringify(Array.from(document.querySelectorAll('section')).map(e => {
  const r = e.getBoundingClientRect();
  return {id: e.id, x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
}))"""

# The A4 page's content width in CSS pixels: 210 mm less the 15 mm margins, at 96 px per inch.
PRINT_WIDTH = round((210 - 30) / 25.4 * 96)


def print_checks(browser, session, output):
    """Lays the page out as printed; returns the overflowing elements and one screenshot per section."""
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": PRINT_WIDTH, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.read(0.5)

    def evaluate(expression):
        return json.loads(browser.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)["result"]["value"])

    overflow = evaluate(OVERFLOW)
    shots = []
    for section in evaluate(SECTIONS):
        if section["width"] <= 0 or section["height"] <= 0:
            continue
        clip = {"x": section["x"], "y": section["y"], "width": section["width"],
                "height": min(section["height"], 6000), "scale": 1}
        data = browser.call("Page.captureScreenshot",
                            {"format": "png", "clip": clip, "captureBeyondViewport": True}, session=session)["data"]
        png = os.path.join(output, "section-%s.png" % (section["id"] or len(shots)))
        with open(png, "wb") as file:
            file.write(base64.b64decode(data))
        shots.append(png)
    return {"overflow": overflow, "printWidth": PRINT_WIDTH, "sectionScreenshots": shots}


def visit(browser, path, output, first, checks=False):
    url = urllib.parse.urljoin("file:", urllib.request.pathname2url(os.path.abspath(path)))
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    start = len(browser.events)
    for domain in ("Network", "Page", "Log", "Runtime"):
        browser.call(domain + ".enable", session=session)
    browser.call("Emulation.setDeviceMetricsOverride",
                 {"width": 900, "height": 1270, "deviceScaleFactor": 1, "mobile": False}, session=session)
    browser.call("Page.navigate", {"url": url}, session=session)
    loaded = browser.wait_for(
        lambda e: e.get("sessionId") == session and e.get("method") == "Page.loadEventFired", 60)
    browser.read(1.0)  # let late requests (fonts, images) show up
    inspected = json.loads(browser.call(
        "Runtime.evaluate", {"expression": INSPECT, "returnByValue": True}, session=session)["result"]["value"])
    result = {"path": path, "url": url, "loaded": loaded}
    if first:
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
        png = os.path.join(output, "report.png")
        with open(png, "wb") as file:
            file.write(base64.b64decode(shot))
        pdf_data = base64.b64decode(browser.call(
            "Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}, session=session,
            timeout=120)["data"])
        pdf = os.path.join(output, "report.pdf")
        with open(pdf, "wb") as file:
            file.write(pdf_data)
        result.update(screenshot=png, pdf=pdf, pdfPages=pdf_data.count(b"/Type /Page") - pdf_data.count(
            b"/Type /Pages"))
        if checks:
            result.update(print_checks(browser, session, output))
    events = [e for e in browser.events[start:] if e.get("sessionId") == session]
    result["requests"] = [e["params"]["request"]["url"] for e in events
                          if e.get("method") == "Network.requestWillBeSent"]
    result["blocked"] = [e["params"].get("blockedReason") for e in events
                         if e.get("method") == "Network.loadingFailed" and e["params"].get("blockedReason")]
    result["errors"] = [e["params"]["entry"].get("text", "") for e in events
                        if e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"]
    result["errors"] += [json.dumps(e["params"].get("args", [])) for e in events
                         if e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error"]
    result.update(inspected)
    browser.call("Target.closeTarget", {"targetId": target})
    return result


def main():
    arguments = sys.argv[1:]
    checks = "--print-checks" in arguments
    arguments = [argument for argument in arguments if argument != "--print-checks"]
    executable, output, pages = arguments[0], arguments[1], arguments[2:]
    profile = tempfile.mkdtemp(prefix="tilsyn-chromium-")
    with open(os.path.join(output, "chromium.log"), "wb") as log:
        browser = Browser(executable, profile, log)
        try:
            results = [visit(browser, page, output, index == 0, checks) for index, page in enumerate(pages)]
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)
    print(json.dumps({"pages": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
