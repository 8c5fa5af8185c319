import secrets
from typing import Any

import environ
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Create the first admin user if there is none. Takes DJANGO_SUPERUSER_USERNAME and "
            "DJANGO_SUPERUSER_PASSWORD from the environment, else makes a password and prints "
            "it once.")

    def handle(self, *args: Any, **options: Any) -> None:
        env = environ.Env()
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            self.stdout.write("admin user: already exists")
            return
        username = env.str("DJANGO_SUPERUSER_USERNAME", default="admin")
        password = env.str("DJANGO_SUPERUSER_PASSWORD", default="") or secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(f"admin user: {username} / password: {password}  (shown once)")
