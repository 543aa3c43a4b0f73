"""The identity use cases: each takes an unentered unit of work and owns its transaction."""

from hansa.identity.service.api_keys import create_api_key, list_api_keys, revoke_api_key
from hansa.identity.service.sessions import authenticate, login, logout, refresh
from hansa.identity.service.users import (
    actor_for_user,
    add_user,
    change_password,
    create_first_admin,
    disable_user,
    enable_user,
    get_user,
    list_roles,
    list_users,
    update_user,
)

__all__ = [
    "actor_for_user",
    "add_user",
    "authenticate",
    "change_password",
    "create_api_key",
    "create_first_admin",
    "disable_user",
    "enable_user",
    "get_user",
    "list_api_keys",
    "list_roles",
    "list_users",
    "login",
    "logout",
    "refresh",
    "revoke_api_key",
    "update_user",
]
