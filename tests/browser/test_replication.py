"""Administrasjon in a real browser with a directory replica: the replication state, wide and at 390 px."""

from playwright.sync_api import Page, expect

from tests.helpers import start_server


def test_administrasjon_shows_a_healthy_replica(page: Page, tmp_path):
    db_path = tmp_path / "app" / "krem.db"
    env = {"KREM_REPLICA": str(tmp_path / "replica"), "KREM_REPLICA_SYNC_INTERVAL": "1s",
           "KREM_DEV_EDITOR": "Test Redaktør"}
    db_path.parent.mkdir()
    proc, url = start_server(db_path, env=env)
    try:
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.goto(url + "/administrasjon")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", name="Replikering til lager")).to_be_visible(timeout=60_000)
        healthy = main.get_by_text("Replikert til", exact=False)
        for _ in range(30):  # the first copy is on its way for a sync interval or so
            if healthy.count():
                break
            main.get_by_role("button", name="Sjekk nå").click()
            page.wait_for_timeout(1000)
        expect(healthy.first).to_be_visible()
        expect(main.get_by_text(str(tmp_path / "replica")).first).to_be_visible()
        expect(main.get_by_text("ingen – replikaen er à jour")).to_be_visible()
        # No «take backups» warning while the replica is healthy.
        expect(page.get_by_text("sletter disken", exact=False)).to_have_count(0)
        main.get_by_role("heading", name="Replikering til lager").scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "replication-wide.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 900})
        main.get_by_role("heading", name="Replikering til lager").scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "replication-390.png"))
        assert (db_path.parent / ".replication" / "litestream.pid").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
