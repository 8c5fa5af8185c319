"""Site search: Wagtail's search index, kept up to date off the editor's request path.

`backend.py` is the search backend (PostgreSQL full-text search, SQLite's FTS on the
embedded default) with the index writes serialized; `tasks.py` hands Wagtail's
background tasks (index updates among them) to the Celery worker.
"""
