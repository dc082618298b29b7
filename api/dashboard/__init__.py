"""The dashboard: server-rendered pages under /ui on the API service."""

from api.dashboard import routes, session
from api.dashboard.page import router

__all__ = ["router", "routes", "session"]
