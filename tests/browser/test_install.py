"""Installing the app on a home screen: Chromium reads the manifest the page links to, and
every icon and install-prompt picture it names loads at exactly the pixel size it declares."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in the page: the manifest the page links to, and each picture's size as decoded.
READ_MANIFEST = """async () => {
  const link = document.querySelector('link[rel="manifest"]');
  const manifest = await (await fetch(link.href)).json();
  const decode = (src) => new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve([image.naturalWidth, image.naturalHeight]);
    image.onerror = () => resolve(null);
    image.src = new URL(src, link.href).href;
  });
  const pictures = [];
  for (const entry of [...manifest.icons, ...(manifest.screenshots || [])]) {
    pictures.push({...entry, decoded: await decode(entry.src)});
  }
  const touch = document.querySelector('link[rel="apple-touch-icon"]');
  return {manifest, pictures, touch: touch && await decode(touch.href),
          rootTouch: await decode('/apple-touch-icon.png')};
}"""


def test_every_icon_the_manifest_names_has_its_declared_size(page, live_server, library):
    page.goto(f"{live_server.url}/library/")
    found = page.evaluate(READ_MANIFEST)
    manifest, pictures = found["manifest"], found["pictures"]
    assert manifest["id"] == "/today/"
    for entry in pictures:
        assert entry["decoded"], f"{entry['src']} did not load as an image"
        if entry["sizes"] != "any":
            declared = [int(n) for n in entry["sizes"].split("x")]
            assert entry["decoded"] == declared, entry["src"]
    sizes = {(e["sizes"], e.get("purpose", "any")) for e in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    assert {s.get("form_factor") for s in manifest["screenshots"]} == {"narrow", "wide"}
    assert found["touch"] == [180, 180]
    assert found["rootTouch"] == [180, 180]
