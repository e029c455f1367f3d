"""The page in headless Chromium (Debian's chromium, driven by Playwright) against a real server."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
NUMBER = re.compile(r"-?\d+\.\d+")


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Screenshots are kept as test artefacts (pytest's tmp folder for this module)."""
    return tmp_path_factory.mktemp("screenshots")


def open_page(browser, server, problems, name):
    page = browser.new_page(viewport={"width": 1360, "height": 1000})
    page.on("console", lambda m: problems.append(f"{name}: {m.text}") if m.type == "error"
            else None)
    page.on("pageerror", lambda e: problems.append(f"{name}: {e}"))
    page.goto(server.url)
    until(page, "document.querySelectorAll('[data-testid=weight]').length > 0")
    return page


def until(page, js: str, timeout: float = 30_000) -> None:
    """Poll a JavaScript condition from Python (the page's CSP forbids the eval that
    Playwright's wait_for_function relies on; page.evaluate goes through the debugger)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(js):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {js}")
        page.wait_for_timeout(100)


def epoch(page) -> int:
    return int(page.text_content("[data-testid=epoch]"))


def loss(page) -> float:
    return float(page.text_content("[data-testid=loss]"))


def settled(page, quiet_ms: int = 1000, timeout_ms: int = 15_000) -> int:
    """The epoch once it has not changed for ``quiet_ms`` (a slice in flight may still land)."""
    last, waited = epoch(page), 0
    while waited < timeout_ms:
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
        now = epoch(page)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the epoch kept changing after pause: {last}")


def wait_epoch(page, at_least: int, timeout: float = 30_000) -> None:
    until(page, f"Number(document.querySelector('[data-testid=epoch]').textContent)"
                           f" >= {at_least}", timeout=timeout)


def test_train_pause_step_and_explain_a_weight(browser, server, shots):
    problems: list[str] = []
    page = open_page(browser, server, problems, "main")
    assert epoch(page) == 0 and page.is_visible("[data-testid=boundary]")
    assert page.locator("[data-testid=weight]").count() == 2 * 8 + 8 * 8 + 8 * 2
    first = loss(page)
    page.click("[data-testid=train]")
    wait_epoch(page, 40)
    assert loss(page) < first
    page.click("[data-testid=train]")  # pause
    paused = settled(page)
    page.wait_for_timeout(800)
    assert epoch(page) == paused
    page.click("[data-testid=step]")
    wait_epoch(page, paused + 1, 10_000)
    page.wait_for_timeout(300)
    assert epoch(page) == paused + 1
    edge = page.locator("[data-testid=weight]").last  # drawn last: on top where edges cross
    param = edge.get_attribute("data-param")
    assert re.fullmatch(r"output\.weight\[\d+,\d+\]", param)
    edge.click()
    panel = page.locator("[data-testid=explain]")
    until(page, "document.querySelector('[data-testid=explain]').textContent"
                           ".includes('This entry')")
    text = panel.text_content()
    assert f"∂L/∂{param}" in text and "∂L/∂out" in text and len(NUMBER.findall(text)) > 10
    page.locator("[data-testid=bias]").last.click()  # a second parameter: the loss surface
    until(page, "document.querySelector('[data-testid=explain]').textContent"
                           ".includes('output.bias')")
    page.click("#surface-button")
    page.wait_for_selector("#surface-figure:not([hidden])")
    assert param in page.text_content("#surface-caption")
    page.screenshot(path=str(shots / "trained.png"), full_page=True)
    page.close()
    assert not problems, problems


def test_controls_change_the_network_and_bad_values_show_a_message(browser, server, shots):
    problems: list[str] = []
    page = open_page(browser, server, problems, "controls")
    page.fill("[data-testid=hidden-layers]", "4")
    page.press("[data-testid=hidden-layers]", "Enter")
    until(page, "document.querySelectorAll('[data-testid=weight]').length === 16")
    page.select_option("[data-testid=activation]", "relu")
    page.wait_for_timeout(300)
    assert page.input_value("[data-testid=activation]") == "relu"
    assert page.is_hidden("[data-testid=error]")
    page.fill("[data-testid=learning-rate]", "-1")
    page.press("[data-testid=learning-rate]", "Enter")
    page.wait_for_selector("[data-testid=error]:not([hidden])")
    assert "learning rate: expected a number in (0, 10]" in page.text_content(
        "[data-testid=error]")
    assert page.input_value("[data-testid=learning-rate]") == "0.03"  # what runs is shown
    page.click("[data-testid=step]")
    wait_epoch(page, 1)
    assert page.is_hidden("[data-testid=error]")
    page.click("[data-testid=reset]")
    until(page, "document.querySelector('[data-testid=epoch]').textContent === '0'")
    page.close()
    assert all("status of 400" in p for p in problems), problems  # only the refused change


def test_good_and_bad_uploads(browser, server, shots):
    problems: list[str] = []
    page = open_page(browser, server, problems, "upload")
    rows = "".join(f"{x},{y},{'in' if x * x + y * y < 2 else 'out'}\n"
                   for x in range(-3, 4) for y in range(-3, 4))
    good = {"name": "rings.csv", "mimeType": "text/csv",
            "buffer": f"width,height,where\n{rows}".encode()}
    page.set_input_files("[data-testid=upload]", files=[good])
    until(page, "document.querySelector('[data-testid=dataset]').value === 'upload'")
    assert "rings.csv" in page.text_content("#summary")
    assert page.is_hidden("[data-testid=error]")
    page.click("[data-testid=step]")
    wait_epoch(page, 1)
    bad = {"name": "broken.csv", "mimeType": "text/csv",
           "buffer": b"a,b,label\n1,2,x\n3,four,y\n"}
    page.set_input_files("[data-testid=upload]", files=[bad])
    page.wait_for_selector("[data-testid=error]:not([hidden])")
    message = page.text_content("[data-testid=error]")
    assert "broken.csv, row 3, column 2 ('b'): expected a number" in message
    assert "'four'" in message
    binary = {"name": "photo.csv", "mimeType": "text/csv", "buffer": bytes(range(256)) * 8}
    page.set_input_files("[data-testid=upload]", files=[binary])
    until(page, "document.querySelector('[data-testid=error]').textContent"
                           ".includes('photo.csv')")
    assert "CSV text" in page.text_content("[data-testid=error]")
    assert page.input_value("[data-testid=dataset]") == "upload"  # the good upload still runs
    page.screenshot(path=str(shots / "upload-error.png"), full_page=True)
    page.close()
    assert all("status of 400" in p for p in problems), problems


def test_four_pages_at_once_train_independently(browser, server, shots):
    problems: list[str] = []
    names = ["moons", "circles", "xor", "gaussians"]
    pages = [open_page(browser, server, problems, n) for n in names]
    for page, name in zip(pages, names):
        page.select_option("[data-testid=dataset]", name)
        until(page, f"document.querySelector('#summary').textContent"
                               f".startsWith('{name}')")
    for page in pages:
        page.click("[data-testid=train]")
    for page in pages:
        wait_epoch(page, 8, 60_000)
    pages[0].click("[data-testid=train]")  # pause one: the others go on
    held = settled(pages[0])
    others = [epoch(p) for p in pages[1:]]
    pages[0].wait_for_timeout(1500)
    assert epoch(pages[0]) == held
    assert all(epoch(p) > e for p, e in zip(pages[1:], others))
    for page in pages[1:]:
        page.click("[data-testid=train]")
    boundaries = [p.evaluate("document.querySelector('[data-testid=boundary]').toDataURL()")
                  for p in pages]
    assert len(set(boundaries)) == 4  # four models, four pictures
    assert all(0 <= loss(p) < 0.7 for p in pages)
    for page, name in zip(pages, names):
        assert page.input_value("[data-testid=dataset]") == name
        page.screenshot(path=str(shots / f"page-{name}.png"))
        page.close()
    assert not problems, problems
