"""Before and after schemathesis (xtask/src/fuzz.rs): make the fuzzing account, then check that
whatever the fuzzing did left the server and the account's data whole.

usage: check_state.py sign-up|after-fuzzing BASE_URL USERNAME PASSWORD STOP_ID
"""

import sys

import requests


def fail(message):
    sys.exit(f"check_state: {message}")


def expect(response, status, what):
    if response.status_code != status:
        fail(f"{what}: expected {status}, got {response.status_code}: {response.text[:300]}")
    return response


def sign_up(base, username, password, stop):
    browser = requests.Session()
    account = {"username": username, "password": password, "email": "fuzz@example.com", "name": "Fuzz"}
    expect(browser.post(f"{base}/api/auth/signup", json=account), 201, "sign-up")
    groups = expect(browser.get(f"{base}/api/bm-groups"), 200, "groups").json()["groups"]
    home = groups[0]["id"]
    expect(browser.post(f"{base}/api/bm-groups/{home}/bookmarks", json={"stop_id": stop}), 201, "bookmark")
    expect(browser.post(f"{base}/api/bm-groups", json={"name": "Work"}), 201, "second group")


def check_order(items, what):
    positions = [item["position"] for item in items]
    if positions != list(range(len(items))):
        fail(f"{what}: positions are {positions}, not a clean 0..n sequence")


def after_fuzzing(base, username, password, stop):
    expect(requests.get(f"{base}/healthz"), 200, "health")
    browser = requests.Session()
    credentials = {"username": username, "password": password}
    expect(browser.post(f"{base}/api/auth/signin", json=credentials), 200, "signing in after fuzzing")

    groups = expect(browser.get(f"{base}/api/bm-groups"), 200, "groups").json()["groups"]
    check_order(groups, "groups")
    names = [g["name"].casefold() for g in groups]
    if len(set(names)) != len(names):
        fail(f"group names are not unique: {names}")
    for group in groups:
        check_order(group["bookmarks"], f"bookmarks of group {group['id']}")
        for bookmark in group["bookmarks"]:
            if bookmark["group_id"] != group["id"]:
                fail(f"bookmark {bookmark['id']} is listed in group {group['id']} but says {bookmark['group_id']}")

    dashboard = expect(browser.get(f"{base}/api/mybm"), 200, "MyBM data").json()
    if [g["id"] for g in dashboard["groups"]] != [g["id"] for g in groups]:
        fail("MyBM does not show the same groups as /api/bm-groups")
    sessions = expect(browser.get(f"{base}/api/auth/sessions"), 200, "sessions").json()
    if sum(1 for s in sessions if s["current"]) != 1:
        fail(f"exactly one session should be current: {sessions}")

    # The pages still render, signed in and out.
    for path in ["/", "/mybm", "/account", f"/stops/{stop}"]:
        expect(browser.get(f"{base}{path}"), 200, f"page {path}")
    expect(requests.get(f"{base}/"), 200, "home page, signed out")
    expect(requests.get(f"{base}/api/stops", params={"q": "palo"}), 200, "stop search")
    print(f"check_state: {len(groups)} groups, their order and bookmarks whole; pages and API answer")


if __name__ == "__main__":
    step, base, username, password, stop = sys.argv[1:]
    {"sign-up": sign_up, "after-fuzzing": after_fuzzing}[step](base, username, password, stop)
