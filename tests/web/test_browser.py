"""The phone page end to end in headless Chromium (Debian's chromium + chromium-driver).

A real server (uvicorn, HTTPS with the office certificate) on a copy of the
field street; Chromium at a phone's size (390×844) with an emulated GPS
position, trusting exactly that certificate (its public key's hash, no
blanket "ignore errors").  One test files a report with a JPEG and reads it
back from the workspace; one uploads a 4000×3000 camera photo, which the page
shrinks to the stored size with its EXIF (the server reads its position from
it); one stops the server while reports are queued on the phone and shows each
arrives exactly once after it is back.

Set ``GRIDAPP_SCREENSHOTS=<folder>`` to keep the screenshots (docs/screenshots
holds the ones looked at).
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from gridapp.services.cases.photos import report_photos
from gridapp.services.cases.query import CaseFilter, list_cases
from gridapp.services.field.settings import field_settings, phone_logins
from tests.web.conftest import PASSWORD, jpeg

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
    reason="needs Debian's chromium and chromium-driver (setup.sh installs them)")
webdriver = pytest.importorskip("selenium.webdriver")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spki_hash(cert_path: Path) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


@pytest.fixture(scope="module")
def served(field_street_file, tmp_path_factory):
    """(server, street, workspace): the field street served over HTTPS on a free port."""
    from gridapp.services.people.auth import load_user
    from gridapp.services.session import Session
    from gridapp.services.workspace import open_workspace
    from gridapp.web.server import FieldServer

    source, street = field_street_file
    folder = tmp_path_factory.mktemp("served")
    path = folder / "street.gpkg"
    shutil.copy(source, path)
    workspace = open_workspace(path)
    admin = Session(workspace, load_user(workspace, 1))
    server = FieldServer(phone_logins(admin), field_settings(admin), port=_free_port(),
                         certificate_folder=folder / "cert").start()
    street.admin = admin
    yield server, street
    server.stop()
    workspace.close()


@pytest.fixture(scope="module")
def browser(served, tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    server, street = served
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=390,844", "--lang=zh-CN",
                f"--user-data-dir={tmp_path_factory.mktemp('chrome')}",
                f"--ignore-certificate-errors-spki-list={_spki_hash(server.certificate.cert_path)}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": server.address.url.rstrip("/"), "permissions": ["geolocation"]})
    lon, lat = street.inside(0, 0.3, 0.6)
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {
        "latitude": lat, "longitude": lon, "accuracy": 12})
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def _wait(driver, predicate, timeout=30.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate(driver)
        if value:
            return value
        time.sleep(0.1)  # polling the page, not synchronisation: the predicate decides
    try:  # what the page was saying when the wait gave up
        said = driver.execute_script(
            "return Array.from(document.querySelectorAll('[id$=\"-msg\"]'),"
            " (e) => e.id + ': ' + e.textContent).join(' | ')")
    except Exception as exc:  # noqa: BLE001 - only for the message
        said = f"(page not readable: {exc})"
    raise AssertionError(f"timed out waiting for {what}; the page said: {said}")


def _text(driver, element_id: str) -> str:
    return driver.execute_script(f"return document.getElementById('{element_id}').textContent")


def _shot(driver, name: str) -> None:
    folder = os.environ.get("GRIDAPP_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"field_{name}.png"))


def _cases(street, text: str = "") -> list:
    return list_cases(street.admin, CaseFilter(text=text), limit=500)


def _click(driver, css: str) -> None:
    """Click as a thumb would: scrolled clear of the fixed tab bar first."""
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, css)
    # Scrolled to the middle, and clicked only once nothing lies over its centre and it
    # has stopped moving: a thumbnail that finishes decoding moves the form, and the fixed
    # tab bar then covers the button (ElementClickInterceptedException, 2 runs of ~25).
    where = """
        const e = arguments[0];
        e.scrollIntoView({block: 'center'});
        const r = e.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return [hit !== null && (hit === e || e.contains(hit)), r.top, r.left];"""
    seen: list = []

    def settled(d):  # type: ignore[no-untyped-def]
        seen.append(d.execute_script(where, element))
        return len(seen) > 1 and seen[-1][0] and seen[-1] == seen[-2]

    _wait(driver, settled, what=f"{css} clear to click")
    element.click()


def _fill_report(driver, description: str, photo: Path | None = None) -> None:
    from selenium.webdriver.common.by import By

    search = driver.find_element(By.ID, "cat-search")
    search.clear()
    search.send_keys("zd")
    _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#cat-list li"), what="categories")
    next(li for li in driver.find_elements(By.CSS_SELECTOR, "#cat-list li")
         if li.text.startswith("占道经营")).click()
    driver.find_element(By.ID, "desc").send_keys(description)
    if photo is not None:
        driver.find_element(By.ID, "photos").send_keys(str(photo))
        _wait(driver, lambda d: d.execute_script(
            "const t = document.querySelectorAll('#thumbs img');"
            " return t.length > 0 && Array.from(t).every((i) => i.complete && i.naturalWidth > 0);"),
            what="the thumbnail drawn")


def _log_in(driver, server) -> None:
    from selenium.webdriver.common.by import By

    driver.get(server.address.url)
    _wait(driver, lambda d: d.find_element(By.ID, "login-user").is_displayed(), what="login")
    driver.find_element(By.ID, "login-user").send_keys("manager")
    driver.find_element(By.ID, "login-pass").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
    _wait(driver, lambda d: not d.find_element(By.ID, "login-user").is_displayed(),
          what="the login to go through")


def test_a_manager_files_a_report_with_gps_and_a_photo(served, browser, tmp_path):
    from selenium.webdriver.common.by import By

    server, street = served
    browser.get(server.address.url)
    _wait(browser, lambda d: d.find_element(By.ID, "login-user").is_displayed(), what="login")
    _shot(browser, "login")
    browser.find_element(By.ID, "login-user").send_keys("manager")
    browser.find_element(By.ID, "login-pass").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button").click()
    _wait(browser, lambda d: "已定位" in _text(d, "gps"), what="the GPS fix")
    assert "±12 米" in _text(browser, "gps")
    photo = tmp_path / "IMG_20261120_0930.jpg"
    photo.write_bytes(jpeg(size=(2000, 1500)))
    _fill_report(browser, "人行道占道经营，水果摊", photo)
    _wait(browser, lambda d: d.find_element(By.ID, "cat-chosen").is_displayed(), what="chosen")
    _shot(browser, "report")
    _click(browser, "#submit-report")
    msg = _wait(browser, lambda d: "已上报" in _text(d, "report-msg") and _text(d, "report-msg"),
                what="the filed message")
    case_no = msg.split("案件编号")[-1].strip()
    filed = _cases(street, case_no)
    assert [c.case_no for c in filed] == [case_no]
    case = filed[0]
    lon, lat = street.inside(0, 0.3, 0.6)
    assert abs(case.lon - lon) < 1e-6 and abs(case.lat - lat) < 1e-6  # the emulated GPS
    assert case.grid_code == "520102003001001"
    assert case.description == "人行道占道经营，水果摊"
    assert len(report_photos(street.admin, case.id)) == 1
    browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=cases]").click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"li[data-case='{case_no}']"),
          what="the case in 我的案件")
    _shot(browser, "cases")
    # 详情: the case read back through the server, its photo loaded with the login cookie.
    _click(browser, f"li[data-case='{case_no}'] button.more")
    _wait(browser, lambda d: d.execute_script(
        f"const i = document.querySelector(\"li[data-case='{case_no}'] .detail img\");"
        "return i && i.complete && i.naturalWidth > 0;"), what="the case's photo")
    events = browser.execute_script(
        f"return document.querySelector(\"li[data-case='{case_no}'] .events\").textContent")
    assert "上报" in events
    _click(browser, f"li[data-case='{case_no}'] .detail")
    _shot(browser, "case_detail")
    photo_id = report_photos(street.admin, case.id)[0]["id"]
    logged = street.admin.store.query(
        "SELECT actor FROM audit_log WHERE action = 'field_view' AND table_name = 'attachment' "
        "AND row_id = ?", (photo_id,))
    assert [r["actor"] for r in logged] == ["manager"]


def _camera_photo(lon: float, lat: float) -> bytes:
    """A 4000×3000 camera JPEG held on its side (EXIF orientation 6: upright it is
    3000×4000) with GPS, the time taken, and the maker's tags the server strips."""
    import io

    from PIL import Image

    def dms(v):
        d = int(v)
        m = int((v - d) * 60)
        return (float(d), float(m), round((v - d - m / 60) * 3600, 4))

    size = (4000, 3000)  # ~2 MB at quality 90, as a phone camera writes it
    picture = Image.merge("RGB", (Image.linear_gradient("L").resize(size),
                                  Image.radial_gradient("L").resize(size),
                                  Image.effect_noise((800, 600), 60).resize(size)))
    exif = Image.Exif()
    exif.update({274: 6, 271: "SomePhone", 272: "Model X", 305: "Camera 1.0"})
    exif.get_ifd(0x8825).update({1: "N", 2: dms(lat), 3: "E", 4: dms(lon), 18: "WGS-84"})
    exif.get_ifd(0x8769).update({0x9003: "2026:11:20 12:00:00", 0xA431: "SN-123456"})
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def test_the_page_shrinks_a_camera_photo_and_keeps_its_exif(served, browser, tmp_path):
    """A 12 MP photo is shrunk on the phone to the stored size, upright, its EXIF copied:
    what arrives is that small file, and the server reads the position and time from it."""
    import io

    from PIL import Image

    from gridapp.services.cases.photos import photo_data
    from gridapp.services.field.uploads import FIELD_MAX_SIDE

    server, street = served
    if not browser.current_url.startswith(server.address.url):
        _log_in(browser, server)  # alone on its worker (pytest -n): no earlier test logged in
    _click(browser, "#tabs button[data-view=report]")
    exif_lon, exif_lat = street.inside(1, 0.5, 0.5)  # not where the phone's GPS is
    original = _camera_photo(exif_lon, exif_lat)
    path = tmp_path / "IMG_4000x3000.jpg"
    path.write_bytes(original)
    _fill_report(browser, "相机原图，手机上缩小", path)
    sent = browser.execute_async_script("""
        const done = arguments[0];
        const f = GridAppField.state.photos[0];
        Promise.all([f.arrayBuffer(), createImageBitmap(f, {imageOrientation: "none"})])
          .then(async ([buf, bmp]) => {
            const sha = await crypto.subtle.digest("SHA-256", buf);
            done({size: f.size, type: f.type, width: bmp.width, height: bmp.height,
                  sha: Array.from(new Uint8Array(sha), (b) => b.toString(16).padStart(2, "0"))
                    .join("")});
          }).catch((e) => done({error: String(e)}));""")
    assert "error" not in sent, sent
    # Shrunk and upright on the phone: 3000×4000 to FIELD_MAX_SIDE on its long side, portrait
    # (no turn left to do).
    shrunk = (3000 * FIELD_MAX_SIDE // 4000, FIELD_MAX_SIDE)
    assert (sent["width"], sent["height"]) == shrunk and sent["type"] == "image/jpeg"
    assert sent["size"] < len(original) / 4
    _click(browser, "#submit-report")
    msg = _wait(browser, lambda d: "已上报" in _text(d, "report-msg") and _text(d, "report-msg"),
                what="the filed message")
    filed = _cases(street, msg.split("案件编号")[-1].strip())
    assert len(filed) == 1
    [row] = street.admin.store.query(
        "SELECT a.id, a.sha256, a.width, a.height, a.taken_at FROM attachment a "
        "JOIN report_attachment m ON m.related_id = a.id WHERE m.base_id = ?", (filed[0].id,))
    assert row["sha256"] == sent["sha"]  # what arrived is the page's shrunk file
    assert (row["width"], row["height"]) == shrunk
    assert str(row["taken_at"]).startswith("2026-11-20")  # the copied EXIF's time
    stored = Image.open(io.BytesIO(photo_data(street.admin, row["id"])))
    exif = stored.getexif()
    gps = exif.get_ifd(0x8825)
    lat = sum(float(v) / 60 ** i for i, v in enumerate(gps[2]))
    lon = sum(float(v) / 60 ** i for i, v in enumerate(gps[4]))
    assert abs(lon - exif_lon) < 1e-6 and abs(lat - exif_lat) < 1e-6  # read from its EXIF
    assert stored.size == shrunk and exif.get(274, 1) == 1
    assert not {271, 272, 305} & set(exif) and not exif.get_ifd(0x8769)  # maker's tags gone


def test_reports_queued_while_the_server_is_down_arrive_exactly_once(served, browser):
    from selenium.webdriver.common.by import By

    server, street = served
    if not browser.current_url.startswith(server.address.url):
        _log_in(browser, server)  # alone on its worker (pytest -n): no earlier test logged in
    browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=report]").click()
    before = len(_cases(street))
    server.stop(end_logins=False)  # the office PC is unreachable; the phone keeps its login
    try:
        for n in (1, 2):
            _fill_report(browser, f"离线上报{n}")
            _click(browser, "#submit-report")
            _wait(browser, lambda d: "保存在手机上" in _text(d, "report-msg"),
                  what="the queued message")
            browser.execute_script("document.getElementById('report-msg').textContent = ''")
        _wait(browser, lambda d: _text(d, "outbox-badge") == "待发送 2", what="2 waiting")
        browser.find_element(By.CSS_SELECTOR, "#tabs button[data-view=outbox]").click()
        _shot(browser, "outbox")
        assert len(_cases(street)) == before
        # Keep a copy of a queued item: sent again later, as a lost answer would make it.
        kept = browser.execute_async_script(
            "const done = arguments[0]; GridAppField.Outbox.all().then((a) => done(a[0]));")
    finally:
        server.start()
    _wait(browser, lambda d: d.find_element(By.ID, "outbox-badge").get_attribute("hidden")
          is not None, timeout=20, what="the outbox to empty")
    assert sorted(c.description for c in _cases(street) if "离线上报" in c.description) == \
        ["离线上报1", "离线上报2"]
    browser.execute_async_script(
        "const [item, done] = arguments;"
        "item.state = 'waiting'; GridAppField.Outbox.add(item)"
        ".then(() => GridAppField.flush()).then(done);", kept)
    assert len(_cases(street)) == before + 2  # the replayed copy filed nothing
    assert browser.execute_async_script(
        "const done = arguments[0]; GridAppField.Outbox.count().then(done);") == 0


def test_a_poor_gps_fix_warns_and_the_dragged_pin_is_filed(served, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    server, street = served
    if not browser.current_url.startswith(server.address.url):
        _log_in(browser, server)  # alone on its worker (pytest -n): no earlier test logged in
    lon, lat = street.inside(1, 0.5, 0.5)
    browser.execute_cdp_cmd("Emulation.setGeolocationOverride", {
        "latitude": lat, "longitude": lon, "accuracy": 250})
    try:
        browser.get(server.address.url)  # a new page; the login cookie still holds
        _wait(browser, lambda d: "精度较差" in _text(d, "gps"), what="the accuracy warning")
        assert "±250 米" in _text(browser, "gps") and "拖动标记" in _text(browser, "gps")
        assert "warn" in browser.find_element(By.ID, "gps").get_attribute("class")
        state = "return GridAppField.state"
        assert browser.execute_script(state + ".source") == "gps"
        # The manager puts the pin where the problem is (a tap on the map moves it there).
        area = browser.find_element(By.ID, "map")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", area)
        ActionChains(browser).move_to_element_with_offset(area, 40, -30).click().perform()
        _wait(browser, lambda d: d.execute_script(state + ".source") == "drag", what="the pin")
        pin = browser.execute_script(state + ".pin")
        assert abs(pin["lon"] - lon) > 1e-5  # moved off the poor fix
        _fill_report(browser, "精度差，拖动到准确位置")
        _click(browser, "#submit-report")
        msg = _wait(browser, lambda d: "已上报" in _text(d, "report-msg")
                    and _text(d, "report-msg"), what="the filed message")
    finally:
        browser.execute_cdp_cmd("Emulation.setGeolocationOverride", {
            "latitude": lat, "longitude": lon, "accuracy": 12})
    filed = _cases(street, msg.split("案件编号")[-1].strip())
    assert len(filed) == 1
    assert abs(filed[0].lon - pin["lon"]) < 1e-6 and abs(filed[0].lat - pin["lat"]) < 1e-6
    kept = street.admin.store.query(
        "SELECT result FROM field_submission WHERE target_id = ?", (filed[0].id,))
    assert '"position_source": "drag"' in kept[0]["result"]


def test_a_photo_the_page_cannot_shrink_is_sent_as_taken(served, browser):
    """A HEIC the browser cannot decode and a JPEG that already fits go unchanged; a PNG
    screenshot larger than the stored size becomes a smaller JPEG."""
    server, _ = served
    if not browser.current_url.startswith(server.address.url):
        _log_in(browser, server)  # alone on its worker (pytest -n): no earlier test logged in
    small = base64.b64encode(jpeg(size=(800, 600))).decode()
    got = browser.execute_async_script("""
        const [small, done] = arguments;
        const heic = new File([new Uint8Array([0, 0, 0, 24, 102, 116, 121, 112, 104, 101, 105,
                                               99, 0, 0, 0, 0, 1, 2, 3, 4])],
                              "IMG_1.HEIC", {type: "image/heic"});
        const fits = new File([Uint8Array.from(atob(small), (c) => c.charCodeAt(0))],
                              "IMG_2.jpg", {type: "image/jpeg"});
        const canvas = document.createElement("canvas");
        canvas.width = 2400; canvas.height = 1600;
        const ctx = canvas.getContext("2d");
        const pixels = ctx.createImageData(2400, 1600);  // a photo-like screenshot: PNG is big
        let seed = 7;
        for (let i = 0; i < pixels.data.length; i += 4) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          const x = (i / 4) % 2400;
          pixels.data[i] = (x / 10 + (seed & 31)) & 255;
          pixels.data[i + 1] = (seed >>> 8) & 63;
          pixels.data[i + 2] = 128;
          pixels.data[i + 3] = 255;
        }
        ctx.putImageData(pixels, 0, 0);
        canvas.toBlob(async (png) => {
          const shot = new File([png], "Screenshot.png", {type: "image/png"});
          const [a, b, c] = await Promise.all([heic, fits, shot].map(
            (f) => FieldPhotos.shrink(f, 1280)));
          const bmp = await createImageBitmap(c);
          done({heic: a === heic, fits: b === fits, pngName: c.name, pngType: c.type,
                pngSmaller: c.size < shot.size, pngSize: [bmp.width, bmp.height]});
        }, "image/png");""", small)
    assert got["heic"] and got["fits"], got
    assert got["pngName"] == "Screenshot.jpg" and got["pngType"] == "image/jpeg", got
    assert got["pngSmaller"] and got["pngSize"] == [1280, 853], got
