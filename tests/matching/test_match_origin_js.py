"""static/js/match-origin.js (近くをさがす), run by Node over a minimal stand-in for the page.

The point a browser measures must be rounded before it enters the form, to the decimals the
page states (the server's POINT_DECIMALS): a more precise point never leaves the browser.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "match-origin.js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None, reason="Node.js がありません（スクリプトの確認に必要）"
)

# A block like templates/matching/match.html's, a geolocation that answers or refuses, one click.
HARNESS = """
const fs = require("fs");
const [script, decimals, answer] = process.argv.slice(1);  // node -e: no script path
function element() {
  return { value: "", hidden: true, textContent: "", handlers: {},
           addEventListener(type, f) { this.handlers[type] = f; } };
}
const parts = { "input[name=near_lat]": element(), "input[name=near_lng]": element(),
                "[data-match-near-button]": element(), "[data-match-near-clear]": element(),
                "[data-match-near-status]": element() };
const block = element();
block.getAttribute = (name) => (name === "data-decimals" ? decimals : null);
block.querySelector = (selector) => parts[selector];
global.document = { querySelector: () => block };
Object.defineProperty(global, "navigator", { value: { geolocation: { getCurrentPosition(ok, fail) {
  if (answer === "refuse") { fail({ code: 1 }); } else { ok({ coords: JSON.parse(answer) }); }
} } } });
eval(fs.readFileSync(script, "utf8"));
const shownBefore = !block.hidden;
parts["[data-match-near-button]"].handlers.click();
console.log(JSON.stringify({ shown: shownBefore, lat: parts["input[name=near_lat]"].value,
  lng: parts["input[name=near_lng]"].value, status: parts["[data-match-near-status]"].textContent }));
"""


def run(decimals: str, answer: str) -> dict:
    done = subprocess.run(  # noqa: S603 - our own script and arguments
        [NODE, "-e", HARNESS, str(SCRIPT), decimals, answer],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_position_is_rounded_to_the_decimals_the_page_gives():
    here = json.dumps({"latitude": 35.712345, "longitude": 139.704999})
    found = run("2", here)
    assert found["shown"]  # the button appears only where the script runs
    assert (found["lat"], found["lng"]) == ("35.71", "139.70")
    assert "約1km単位" in found["status"]
    assert run("1", here)["lat"] == "35.7"


def test_a_refused_position_fills_nothing_and_says_what_else_to_do():
    found = run("2", "refuse")
    assert (found["lat"], found["lng"]) == ("", "")
    assert "小学校区を選ぶか、地名・施設名を入力してください" in found["status"]
