"""What a visitor's bad Host header leaves in the log."""

import logging

import pytest


@pytest.mark.django_db
def test_a_host_no_site_has_is_one_line_in_the_log_without_a_traceback(client, caplog):
    with caplog.at_level(logging.ERROR, logger="django.security.DisallowedHost"):
        response = client.get("/api/v2/pages/by-path/?html_path=/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    [record] = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert "evil.example" in record.getMessage()
    assert record.exc_info is None and not record.exc_text
