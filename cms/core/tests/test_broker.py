"""The embedded default's broker (cms/broker.py): a worker never reads a message half-written."""

import threading

from kombu import Connection

from cms.settings.tasks import filesystem_options

MESSAGES = 1000


def test_a_message_read_while_others_are_written_is_whole(tmp_path):
    """Kombu's own transport ("filesystem") fails this: its reader meets a message still
    empty and stops (JSONDecodeError)."""
    transport = "cms.broker:Transport"
    options = filesystem_options(tmp_path)
    payload = "x" * 50_000  # a large write widens the moment a reader could meet it
    with Connection("filesystem://", transport=transport,
                    transport_options=options) as writing, \
            Connection("filesystem://", transport=transport,
                       transport_options=options) as reading:
        outbox = writing.SimpleQueue("race")
        inbox = reading.SimpleQueue("race")

        def write() -> None:
            for n in range(MESSAGES):
                outbox.put({"n": n, "body": payload})

        writer = threading.Thread(target=write)
        writer.start()
        got = []
        try:
            while len(got) < MESSAGES:
                message = inbox.get(timeout=30)
                got.append(message.payload["n"])
                message.ack()
        finally:
            writer.join()
            outbox.close()
            inbox.close()
    assert sorted(got) == list(range(MESSAGES))
