"""The dashboard: server-rendered pages under /ui on the API service."""

from api.dashboard.routes import router

__all__ = ["router"]
