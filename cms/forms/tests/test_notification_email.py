"""The notification email of a submission goes out from a real Celery worker, after the
commit, through Django's email backend (the worker's writes files here)."""

import json
from pathlib import Path

from django.core import mail

from cms.testing.forms import VALID, form_page
from cms.testing.processes import wait_until


def test_notification_email_goes_out_from_the_worker(client, home, start_worker, tmp_path):
    outbox = tmp_path / "mail"
    start_worker(EMAIL_URL=f"filemail:///{outbox}")
    contact = form_page(home)
    without_recipient = form_page(home, slug="no-mail", to_address="")

    response = client.post(f"/api/v2/forms/{contact.pk}/submissions/", json.dumps(VALID),
                           content_type="application/json", REMOTE_ADDR="10.9.9.1")
    assert response.status_code == 201
    assert mail.outbox == []  # never sent in the request

    def files() -> list[Path]:
        return sorted(outbox.glob("*.log")) if outbox.is_dir() else []

    def sent() -> list[str]:
        # The backend makes a file as it opens and writes into it as it closes: a message
        # is all there once the line of dashes that ends it is.
        return [text for file in files() if (text := file.read_text()).endswith("-" * 79 + "\n")]

    message = wait_until(sent, timeout=30)[0]
    assert "To: team@example.com" in message
    assert "From: site@example.com" in message
    assert "Subject: New contact" in message
    assert "Your name: Ada" in message and "Extras: Tea, Coffee" in message

    # A page without recipients sends nothing; the first email is still the only one.
    assert client.post(f"/api/v2/forms/{without_recipient.pk}/submissions/",
                       json.dumps(VALID), content_type="application/json",
                       REMOTE_ADDR="10.9.9.2").status_code == 201
    assert client.post(f"/api/v2/forms/{contact.pk}/submissions/",
                       json.dumps({**VALID, "your_name": "Bea"}),
                       content_type="application/json", REMOTE_ADDR="10.9.9.3").status_code == 201
    # One worker process takes the tasks in turn: once Bea's is sent, the other is done.
    wait_until(lambda: any("Your name: Bea" in text for text in sent()), timeout=30)
    assert len(files()) == 2
