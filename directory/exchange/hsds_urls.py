"""URL patterns (filled in by the work that owns this module)."""

urlpatterns: list = []
