"""The router every app's ``api/urls.py`` registers its viewsets on.

Format suffixes as DRF's default router adds them (``/api/v1/accounts.json``); no root view
of its own: the one root of ``/api/v1/`` is ``sfa.core.api.root``, which links every list.
"""

from rest_framework.routers import DefaultRouter


class AppRouter(DefaultRouter):
    include_root_view = False
