"""Screenshot one Koers page in headless Debian Chromium with a tall viewport: python tools/shoot.py URL OUT.png"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.browser import CHROMIUM_ARGS as ARGS

url, out = sys.argv[1], sys.argv[2]
height = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1440, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_test_id("stMainBlockContainer").wait_for(timeout=60000)
    page.wait_for_timeout(6000)
    page.screenshot(path=out)
    print("exceptions:", page.get_by_test_id("stException").count())
    browser.close()
