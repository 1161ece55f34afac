"""One Argon2 hash for the demo's one password.

Every demo account signs in with ``data.DEMO_PASSWORD``, printed by ``seed_demo`` for all to
read: a salt per account protects nothing there, and hashing it two hundred times costs a
minute. While the demo is built (steps.build_demo puts this hasher first), the password is
hashed once and that genuine Argon2 hash is stored for every account; the standard Argon2
hasher verifies it, and a person who changes their password gets a fresh salt as usual."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OneHashArgon2PasswordHasher(Argon2PasswordHasher):
    _hashes: dict[str, str] = {}

    def encode(self, password, salt):
        if password not in self._hashes:
            self._hashes[password] = super().encode(password, salt)
        return self._hashes[password]
